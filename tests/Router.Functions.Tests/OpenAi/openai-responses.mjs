// Calls the router's Responses API with the official `openai` npm package, as a Node application would.
// Usage: node openai-responses.mjs <baseURL> <apiKey> <task>; prints one JSON line with what it got.
import OpenAI, { AzureOpenAI } from 'openai';

const [baseURL, apiKey, task] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const plain = await client.responses.create({
  model: task,
  instructions: 'Keep names and numbers exact.',
  input: 'Please summarize: the quarterly review showed revenue of $4.2M, up 12% on last year.',
  store: false,
});

// Raw event iteration: every event the SDK parsed, in order.
const stream = await client.responses.create({
  model: task,
  input: [{ role: 'user', content: [{ type: 'input_text', text: 'Please summarize: churn fell to 2.1% and hiring is paused until March.' }] }],
  stream: true,
});
const events = [];
let streamed = '';
let streamCompleted = null;
for await (const event of stream) {
  events.push({ type: event.type, sequence_number: event.sequence_number });
  if (event.type === 'response.output_text.delta') streamed += event.delta;
  if (event.type === 'response.completed') streamCompleted = event.response;
}

// The SDK's stream helper rebuilds the response from the events and checks they fit together.
const helper = client.responses.stream({ model: task, input: 'Please summarize: the office moves to Leeds in May.' });
let helperDeltas = 0;
for await (const event of helper) {
  if (event.type === 'response.output_text.delta') helperDeltas++;
}
const final = await helper.finalResponse();

// A function tool round trip, as agents do it: the call, its output sent back with the conversation, the answer.
const tools = [{
  type: 'function', name: 'get_weather', description: 'Current weather for a city', strict: true,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
}];
const conversation = [{ role: 'user', content: 'What is the weather in Paris right now?' }];
const toolTurn = await client.responses.create({ model: task, input: conversation, tools });
const functionCall = toolTurn.output.find((item) => item.type === 'function_call');
conversation.push(...toolTurn.output);
conversation.push({ type: 'function_call_output', call_id: functionCall.call_id, output: JSON.stringify({ celsius: 18, sky: 'sunny' }) });
const answerTurn = await client.responses.create({ model: task, input: conversation, tools });

// The same first turn streamed through the helper: the function call rebuilt from its argument deltas.
const toolStream = client.responses.stream({ model: task, input: [conversation[0]], tools });
let argumentDeltas = 0;
for await (const event of toolStream) {
  if (event.type === 'response.function_call_arguments.delta') argumentDeltas++;
}
const streamedToolTurn = await toolStream.finalResponse();
const streamedCall = streamedToolTurn.output.find((item) => item.type === 'function_call');

let stateful = null;
try {
  await client.responses.create({ model: task, input: 'x', previous_response_id: 'resp_123' });
} catch (err) {
  stateful = { status: err.status, code: err.code, param: err.param };
}

let notFound = null;
try {
  await client.responses.create({ model: 'no-such-task', input: 'x' });
} catch (err) {
  notFound = { status: err.status, code: err.code, param: err.param };
}

// AzureOpenAI's Responses: /openai/responses?api-version=... with model naming the deployment (the task), plain and streamed.
const azure = new AzureOpenAI({ endpoint: baseURL.replace(/\/v1\/?$/, ''), apiKey, apiVersion: '2025-04-01-preview', maxRetries: 0 });
const azurePlain = await azure.responses.create({ model: task, input: 'Please summarize: the office moves to Leeds in May.' });
const azureStream = await azure.responses.create({ model: task, input: 'Please summarize: the budget review is on Friday.', stream: true });
let azureStreamed = '';
let azureCompleted = null;
for await (const event of azureStream) {
  if (event.type === 'response.output_text.delta') azureStreamed += event.delta;
  if (event.type === 'response.completed') azureCompleted = event.response;
}

console.log(JSON.stringify({
  plain: { id: plain.id, model: plain.model, status: plain.status, output_text: plain.output_text, usage: plain.usage },
  streamed,
  events,
  streamCompleted: { id: streamCompleted?.id, output_text: streamCompleted?.output?.[0]?.content?.[0]?.text, usage: streamCompleted?.usage },
  helper: { id: final.id, deltas: helperDeltas, output_text: final.output_text, usage: final.usage },
  tool: {
    call: { id: toolTurn.id, name: functionCall?.name, arguments: functionCall?.arguments, usage: toolTurn.usage },
    answer: { id: answerTurn.id, type: answerTurn.output[0]?.type, output_text: answerTurn.output_text, usage: answerTurn.usage },
    streamed: { id: streamedToolTurn.id, name: streamedCall?.name, arguments: streamedCall?.arguments, argumentDeltas, usage: streamedToolTurn.usage },
  },
  stateful,
  notFound,
  azurePlain: { id: azurePlain.id, model: azurePlain.model, output_text: azurePlain.output_text, usage: azurePlain.usage },
  azureStream: { id: azureCompleted?.id, model: azureCompleted?.model, streamed: azureStreamed, output_text: azureCompleted?.output?.[0]?.content?.[0]?.text, usage: azureCompleted?.usage },
}));
