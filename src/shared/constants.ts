// Values the host and the webview (or the eager stub and the lazy code) must agree on.

/** The data type the panel puts on a dragged image (its gallery id). */
export const GALLERY_MIME = 'application/vnd.gemini-image-studio.image';

/** The style id that means "send the prompt as written". */
export const NO_STYLE_ID = 'none';

/** The drop edit's kind below DocumentDropOrPasteEditKind.Empty: `markdown.link.image.geminiImage`. */
export const DROP_EDIT_KIND = ['markdown', 'link', 'image', 'geminiImage'] as const;
