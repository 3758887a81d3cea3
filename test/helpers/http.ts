import type { Running } from '../../src/index';

/** POSTs a Teams-shaped activity to the running bot's /api/messages; expects 200 and returns the body. */
export async function postActivity(running: Running, activity: unknown): Promise<string> {
  const response = await fetch(`${running.server.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  expect(response.status).toBe(200);
  return response.text();
}
