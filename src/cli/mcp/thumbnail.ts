// A small preview of a made image for the agent to look at (MCP image content), never the file.
export async function thumbnail(_file: string): Promise<{ data: string; mimeType: string } | undefined> {
  return undefined;
}
