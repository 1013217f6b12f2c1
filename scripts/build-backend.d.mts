/** Where `npm start` runs the server from, relative to the repo root. */
export const BACKEND_MAIN: string;
/** Whether dist/backend/main.js exists. */
export function isBackendBuilt(): boolean;
/** Bundles backend/main.ts into dist/backend/main.js (with a source map). */
export function buildBackend(): Promise<void>;
