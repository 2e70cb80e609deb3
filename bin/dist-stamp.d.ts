/** Types of dist-stamp.js (plain JavaScript: it runs before anything is compiled). */
export interface Stamp {
  dirs: string[];
  /** path relative to the root -> [size, mtimeMs, sha1] */
  files: Record<string, [number, number, string]>;
}
export const ROOT: string;
export const DIST: string;
export const STAMP: string;
export const CONFIG_FILES: string[];
export function sourceFiles(root: string, dirs: string[]): string[];
export function takeStamp(root: string, dirs: string[]): Stamp;
export function staleReason(root?: string, stampFile?: string): string | null;
