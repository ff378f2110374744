/**
 * Reads a response body as JSON. Typed loosely on purpose: tests assert the shape of what the
 * plugin under test sent, so they index into it freely.
 */
export async function readJson(response: Response): Promise<any> {
  return response.json();
}
