// Read by the activation stub, so kept apart from the code it would otherwise pull in.
export const BATCHES_PENDING_FLAG = 'geminiImage.batchesPending';
