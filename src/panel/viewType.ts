/** The panel's webview type (package.json activates on it). */
export const PANEL_VIEW_TYPE = 'geminiImage.panel';
