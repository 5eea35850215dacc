// A real MCP client for McpClientTest: the official TypeScript SDK's Client over its Streamable HTTP
// transport. Connects to URL (with "Authorization: Bearer TOKEN" when TOKEN is not empty), lists the
// tools and calls each call of CALLS_FILE (a JSON array of {name, arguments}) in order, then prints
// one JSON object: {server, protocol, tools, calls: [{name, result} | {name, error}]} or {error} when
// it could not connect.
//
//   node client.mjs URL TOKEN CALLS_FILE
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, token, callsFile] = process.argv.slice(2);
const calls = callsFile ? JSON.parse(readFileSync(callsFile, 'utf8')) : [];
const headers = token ? { Authorization: `Bearer ${token}` } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
const client = new Client({ name: 'framewire-mcp-client-test', version: '1.0.0' });
const out = {};
try {
  await client.connect(transport);
  out.server = client.getServerVersion();
  out.protocol = transport.protocolVersion ?? null;
  out.tools = (await client.listTools()).tools;
  out.calls = [];
  for (const call of calls) {
    try {
      out.calls.push({ name: call.name, result: await client.callTool({ name: call.name, arguments: call.arguments ?? {} }) });
    } catch (e) {
      out.calls.push({ name: call.name, error: String(e?.message ?? e) });
    }
  }
  await client.close();
} catch (e) {
  out.error = String(e?.message ?? e);
}
process.stdout.write(JSON.stringify(out) + '\n');
