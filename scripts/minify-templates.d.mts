import type { Plugin } from 'vite';

/** Rewrites the static parts of `html`/`css` tagged templates, dropping formatting whitespace. */
export function minifyTemplates(code: string): string;
/** The static parts of every `html`/`css` tagged template in `code`. */
export function extractTemplates(code: string): Array<{ tag: 'html' | 'css'; chunks: string[] }>;
/** A Vite plugin applying `minifyTemplates` to widget sources. */
export function minifyTemplatesPlugin(): Plugin;
