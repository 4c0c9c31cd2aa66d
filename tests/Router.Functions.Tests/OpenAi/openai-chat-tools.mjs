// Chat completions with tools and structured outputs through the official `openai` npm package, as LangChain's
// bindTools / withStructuredOutput and agents send them, then the package's AzureOpenAI client with a task as the
// deployment (plain, streamed, tools). Usage: node openai-chat-tools.mjs <baseURL ending in /api/v1> <apiKey> <task>;
// prints one JSON line with what it got.
import OpenAI, { AzureOpenAI } from 'openai';

const [baseURL, apiKey, task] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const tools = [{
  type: 'function',
  function: {
    name: 'get_weather', description: 'Current weather for a city', strict: true,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  },
}];
const question = { role: 'user', content: 'What is the weather in Paris right now?' };

// bindTools: the model calls the tool, the agent runs it and sends the result back, the model answers.
const call = await client.chat.completions.create({ model: task, messages: [question], tools, tool_choice: 'auto', parallel_tool_calls: false });
const toolCall = call.choices[0].message.tool_calls?.[0];
const answer = await client.chat.completions.create({
  model: task,
  tools,
  messages: [question, call.choices[0].message, { role: 'tool', tool_call_id: toolCall?.id, content: JSON.stringify({ celsius: 18, sky: 'sunny' }) }],
});

// The stream helper rebuilds the tool call from its deltas (and fails on a malformed sequence).
const toolStream = client.chat.completions.stream({ model: task, messages: [question], tools, stream_options: { include_usage: true } });
let argumentDeltas = 0;
toolStream.on('tool_calls.function.arguments.delta', () => { argumentDeltas++; });
const streamedCall = await toolStream.finalChatCompletion();

// withStructuredOutput (json_schema): the SDK's parse() hands back the parsed object.
const parsed = await client.chat.completions.parse({
  model: task,
  messages: [{ role: 'user', content: 'Please summarize: revenue rose 12% and churn fell to 2.1%.' }],
  response_format: {
    type: 'json_schema',
    json_schema: {
      name: 'digest', strict: true,
      schema: { type: 'object', properties: { headline: { type: 'string' }, sentences: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['headline', 'sentences'], additionalProperties: false },
    },
  },
});

// withStructuredOutput (function calling): a forced tool.
const forced = await client.chat.completions.create({
  model: task, messages: [{ role: 'user', content: 'The office moves to Leeds in May.' }], tools, tool_choice: { type: 'function', function: { name: 'get_weather' } },
});

// AzureOpenAI with the task as the deployment: /openai/deployments/{task}/chat/completions?api-version=...
const azure = new AzureOpenAI({ endpoint: baseURL.replace(/\/v1\/?$/, ''), apiKey, apiVersion: '2024-10-21', deployment: task, maxRetries: 0 });
const azurePlain = await azure.chat.completions.create({ model: task, messages: [{ role: 'user', content: 'Please summarize: the office moves to Leeds in May.' }] });
const azureStream = await azure.chat.completions.create({
  model: task, messages: [{ role: 'user', content: 'Please summarize: hiring is paused until March.' }], stream: true, stream_options: { include_usage: true },
});
let azureStreamed = '';
let azureStreamId = null;
let azureStreamUsage = null;
for await (const chunk of azureStream) {
  azureStreamId ??= chunk.id;
  azureStreamed += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) azureStreamUsage = chunk.usage;
}
const azureTool = await azure.chat.completions.create({ model: task, messages: [question], tools });

const summary = (completion) => ({ id: completion.id, model: completion.model, finish: completion.choices[0]?.finish_reason, usage: completion.usage });
console.log(JSON.stringify({
  call: { ...summary(call), name: toolCall?.function.name, arguments: toolCall?.function.arguments, content: call.choices[0].message.content },
  answer: { ...summary(answer), content: answer.choices[0].message.content },
  streamedCall: { ...summary(streamedCall), name: streamedCall.choices[0].message.tool_calls?.[0]?.function.name, arguments: streamedCall.choices[0].message.tool_calls?.[0]?.function.arguments, argumentDeltas },
  parsed: { ...summary(parsed), parsed: parsed.choices[0].message.parsed },
  forced: { ...summary(forced), name: forced.choices[0].message.tool_calls?.[0]?.function.name },
  azurePlain: { ...summary(azurePlain), content: azurePlain.choices[0].message.content },
  azureStream: { id: azureStreamId, content: azureStreamed, usage: azureStreamUsage },
  azureTool: { ...summary(azureTool), name: azureTool.choices[0].message.tool_calls?.[0]?.function.name },
}));
