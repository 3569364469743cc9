// The Gemini REST shapes the extension sends and reads (generateContent, Files API).
// Only documented fields: the API rejects unknown ones with 400 INVALID_ARGUMENT.

export interface InlineData {
  mimeType: string;
  /** base64 */
  data: string;
}

export interface FileData {
  mimeType: string;
  fileUri: string;
}

export interface Part {
  text?: string;
  inlineData?: InlineData;
  fileData?: FileData;
  thought?: boolean;
  thoughtSignature?: string;
}

export interface Content {
  role: 'user' | 'model';
  parts: Part[];
}

export type AspectRatio =
  | '1:1' | '2:3' | '3:2' | '3:4' | '4:3' | '4:5' | '5:4' | '9:16' | '16:9' | '21:9'
  | '1:4' | '4:1' | '1:8' | '8:1';

export type ImageSize = '512' | '1K' | '2K' | '4K';

export interface GenerationConfig {
  responseModalities?: ('TEXT' | 'IMAGE')[];
  imageConfig?: { aspectRatio?: AspectRatio; imageSize?: ImageSize };
  thinkingConfig?: { thinkingLevel?: string; includeThoughts?: boolean };
}

export interface GenerateContentRequest {
  contents: Content[];
  generationConfig?: GenerationConfig;
  /** "flex" or "priority" (standard is the default and never sent); Gemini API, request root. */
  serviceTier?: 'flex' | 'priority';
}

export interface ModalityTokenCount {
  modality: string;
  tokenCount: number;
}

/** usageMetadata of a reply: image tokens bill at the image rate, text and thoughts at the text rate. */
export interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
  promptTokensDetails?: ModalityTokenCount[];
  candidatesTokensDetails?: ModalityTokenCount[];
  /** The tier that served the request (echoes the request's serviceTier). */
  serviceTier?: string;
}

/** modelStatus of a reply: a deprecated model says when it retires. */
export interface ModelStatus {
  modelStage?: string;
  retirementTime?: string;
  message?: string;
}

/** The File resource of the Files API. */
export interface GeminiFile {
  name: string;
  uri: string;
  mimeType: string;
  sizeBytes?: string;
  createTime?: string;
  updateTime?: string;
  expirationTime?: string;
  sha256Hash?: string;
  state?: 'STATE_UNSPECIFIED' | 'PROCESSING' | 'ACTIVE' | 'FAILED';
  displayName?: string;
  /** Why processing FAILED (google.rpc.Status). */
  error?: { code?: number; message?: string };
}

export type AuthStyle = 'x-goog-api-key' | 'bearer' | 'query';

/** Where and as whom requests go: one editing session keeps one of these. */
export interface Endpoint {
  baseUrl: string;
  apiKey: string;
  authStyle: AuthStyle;
}
