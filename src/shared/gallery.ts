// What the gallery knows about an image, on the host (workspace storage) and in the panel alike,
// and the placeholder of a generation still running.
import type { AspectRatio, ImageSize } from '../gemini/types';

/** One generated image. */
export interface GalleryRecord {
  id: string;
  /** Absolute file-system path. */
  path: string;
  prompt: string;
  model: string;
  aspectRatio?: AspectRatio;
  imageSize?: ImageSize;
  width?: number;
  height?: number;
  byteLength: number;
  mimeType: string;
  createdAt: string;
  texts: string[];
  styleName?: string;
  /** The prompt as sent, when a style changed it (the PNG keeps it too). */
  sentPrompt?: string;
  /** The first version's id: refines of one image share it. */
  conversationId?: string;
  version?: number;
  /** Whether a stored conversation lets this image be refined. */
  refinable?: boolean;
  description?: string;
  /** Reference images the prompt was sent with (paths). */
  references?: string[];
  /** Tokens of the reply (its share, when one reply held several images). */
  tokens?: number;
  /** Dollars, from the reply's usageMetadata or estimated from the catalogue's prices or the user's. */
  cost?: number;
  /** Which of the two `cost` is (absent: an estimate, as records made before this was kept). */
  costFrom?: 'usage' | 'estimate';
  /** The service tier the reply reports (flex, priority). */
  serviceTier?: 'standard' | 'flex' | 'priority';
  /** The model's retirement day as the endpoint or the catalogue gave it when this was made. */
  modelRetires?: string;
}

/** A generation in progress, shown as a placeholder card. */
export interface PendingGeneration {
  id: string;
  prompt: string;
  count: number;
}
