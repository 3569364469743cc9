// The language model tools' names, shared by the activation stub (which registers them) and the
// lazy implementation. `{verb}_{noun}` after the extension's prefix, as VS Code's guide asks.
export const GENERATE_IMAGE_TOOL = 'geminiImage_generate_image';
export const DESCRIBE_IMAGE_TOOL = 'geminiImage_describe_image';
export const TOOL_NAMES = [GENERATE_IMAGE_TOOL, DESCRIBE_IMAGE_TOOL] as const;
