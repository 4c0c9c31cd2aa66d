// Calls the router with the official `openai` npm package, as any Node application would.
// Usage: node openai-client.mjs <baseURL> <apiKey> <task>; prints one JSON line with what it got.
import OpenAI from 'openai';

const [baseURL, apiKey, task] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const completion = await client.chat.completions.create({
  model: task,
  messages: [{ role: 'user', content: 'Please summarize: the quarterly review showed revenue of $4.2M, up 12% on last year.' }],
});

const stream = await client.chat.completions.create({
  model: task,
  messages: [{ role: 'user', content: 'Please summarize: churn fell to 2.1% and hiring is paused until March.' }],
  stream: true,
  stream_options: { include_usage: true },
});
let streamed = '';
let chunks = 0;
let streamUsage = null;
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) streamUsage = chunk.usage;
}

let notFound = null;
try {
  await client.chat.completions.create({ model: 'no-such-task', messages: [{ role: 'user', content: 'x' }] });
} catch (err) {
  notFound = { status: err.status, code: err.code, param: err.param };
}

console.log(JSON.stringify({
  model: completion.model,
  content: completion.choices[0].message.content,
  usage: completion.usage,
  streamed,
  chunks,
  streamUsage,
  notFound,
}));
