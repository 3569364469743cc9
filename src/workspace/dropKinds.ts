/** The data type the panel puts on a dragged image (its gallery id). */
export const GALLERY_MIME = 'application/vnd.gemini-image-studio.image';
