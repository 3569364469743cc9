// Every command the extension contributes (package.json lists the same ids: test/unit/commandIds.test.ts).
// Registered at activation with a small stub that loads the implementation on first use.
export const COMMAND_IDS = [
  'geminiImage.generate',
  'geminiImage.generateFromSelection',
  'geminiImage.writePromptFromSelection',
  'geminiImage.editImage',
  'geminiImage.combineImages',
  'geminiImage.describeImage',
  'geminiImage.remix',
  'geminiImage.generateAltText',
  'geminiImage.selectModel',
  'geminiImage.setApiKey',
  'geminiImage.clearApiKey',
  'geminiImage.showPanel',
  'geminiImage.showLog',
  'geminiImage.forgetMissingImages',
  'geminiImage.generateDocImage',
  'geminiImage.generateMissingImages',
  'geminiImage.showBatchJobs',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
