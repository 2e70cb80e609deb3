/**
 * The cross-validation leaderboard: per training file, each family's engine-wise CV figures, and
 * the choice of family for `evaluate` without `--model`. Two boards are read: the home's
 * (`<home>/models/cv-leaderboard.json`, written by every `evaluate cmapss --cv` run) and the one the
 * project ships for the public C-MAPSS files (`data/cmapss-cv-leaderboard.json`, with the command
 * that reproduces it), so a fresh home still picks the family best on CV. Rows are matched to the
 * training data by its fingerprint (sha256 of the parsed trajectories, registry.ts), so a renamed
 * copy of FD001 still matches and a different file of the same name does not.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { packageRoot } from '../../core/index.ts';
import type { EvaluationReport } from './cmapss-protocol.ts';

/** One family's CV figures on one training file. */
export interface LeaderboardEntry {
  /** RMSE against the raw (uncapped) truth: the ranking figure */
  rmseRawTruth: number;
  /** RMSE against the truth capped at `cap` */
  rmseCappedTruth?: number;
  cap?: number;
  /** PHM08 score against the raw truth */
  phm08ScoreRawTruth?: number;
  coverage: number;
  n: number;
  folds: number;
  /** random truncations per held-out engine */
  cuts?: number;
  trainSeconds?: number;
  at: string;
}

export interface LeaderboardFile {
  /** the training file's name when it was scored */
  source: string;
  fingerprint?: string;
  /** the command that produced these figures (shipped board) */
  command?: string;
  /** how the figures were measured, for a reader */
  note?: string;
  families: Record<string, LeaderboardEntry>;
}

/** A board: training files keyed by fingerprint (or, in boards written before fingerprints, by name). */
export type Leaderboard = Record<string, LeaderboardFile>;

export interface FamilyChoice {
  family: string;
  /** one line: which family and why */
  reason: string;
  /** where the figure came from */
  from: 'home' | 'shipped' | 'default';
  entry?: LeaderboardEntry;
}

/** The board the project ships for the public C-MAPSS training files. */
export const SHIPPED_LEADERBOARD = join(packageRoot, 'data/cmapss-cv-leaderboard.json');

/**
 * Reads a board file; a missing file is an empty board. Boards of the older layout (file name ->
 * family -> { rmse, ... }) are read as name-keyed rows without a fingerprint.
 */
export function readLeaderboard(file: string): Leaderboard {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a JSON leaderboard (${(e as Error).message})`);
  }
  const board: Leaderboard = {};
  for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const v = value as Partial<LeaderboardFile> & Record<string, unknown>;
    if (v && typeof v === 'object' && v.families && typeof v.families === 'object') {
      board[key] = {
        source: String(v.source ?? key),
        ...(v.fingerprint && { fingerprint: v.fingerprint }),
        ...(v.command && { command: v.command }),
        ...(v.note && { note: v.note }),
        families: v.families,
      };
    } else if (v && typeof v === 'object') {
      // older layout: the key is the file name, the value the families with { rmse, ... }
      const families: Record<string, LeaderboardEntry> = {};
      for (const [fam, e] of Object.entries(
        v as Record<string, { rmse?: number } & Partial<LeaderboardEntry>>,
      ))
        if (e && typeof e.rmse === 'number')
          families[fam] = {
            ...e,
            rmseRawTruth: e.rmse,
            coverage: e.coverage ?? NaN,
            n: e.n ?? 0,
            folds: e.folds ?? 0,
            at: e.at ?? '',
          };
      board[key] = { source: key, families };
    }
  }
  return board;
}

/** Adds CV reports of one training file to a board (replacing each family's earlier row). */
export function recordReports(
  board: Leaderboard,
  train: { source: string; fingerprint: string },
  folds: number,
  cuts: number,
  reports: EvaluationReport[],
  at = new Date().toISOString(),
): Leaderboard {
  const key = train.fingerprint;
  const file = (board[key] ??= { source: basename(train.source), fingerprint: key, families: {} });
  file.source = basename(train.source);
  for (const r of reports)
    file.families[r.model] = {
      rmseRawTruth: r.rmse,
      rmseCappedTruth: r.cappedRmse,
      cap: r.cap,
      phm08ScoreRawTruth: r.score,
      coverage: r.coverage,
      n: r.n,
      folds,
      cuts,
      trainSeconds: r.trainSeconds,
      at,
    };
  return board;
}

export function writeLeaderboard(file: string, board: Leaderboard): void {
  writeFileSync(file, JSON.stringify(board, null, 2) + '\n');
}

/**
 * The family to use without `--model`: the lowest raw-truth CV RMSE among the rows for this
 * training data (same fingerprint; the home's and the shipped board together), else among the
 * home's rows for a file of the same name, else among every row of the home's board, else
 * `fallback`. Families not in `known` are skipped.
 */
export function chooseFamily(
  train: { source: string; fingerprint: string },
  boards: { home: Leaderboard; shipped: Leaderboard },
  known: string[],
  fallback = 'similarity',
): FamilyChoice {
  type Row = { family: string; entry: LeaderboardEntry; from: 'home' | 'shipped'; file: LeaderboardFile };
  const rows = (from: 'home' | 'shipped', files: LeaderboardFile[]): Row[] =>
    files.flatMap((file) =>
      Object.entries(file.families)
        .filter(([family, e]) => known.includes(family) && Number.isFinite(e.rmseRawTruth))
        .map(([family, entry]) => ({ family, entry, from, file })),
    );
  const best = (rs: Row[]) =>
    rs.reduce<Row | undefined>(
      (a, b) => (!a || b.entry.rmseRawTruth < a.entry.rmseRawTruth ? b : a),
      undefined,
    );
  const home = Object.values(boards.home);
  const shipped = Object.values(boards.shipped);
  const name = basename(train.source);
  const tiers: { rows: Row[]; why: (r: Row) => string }[] = [
    {
      rows: [
        ...rows(
          'home',
          home.filter((f) => f.fingerprint === train.fingerprint),
        ),
        ...rows(
          'shipped',
          shipped.filter((f) => f.fingerprint === train.fingerprint),
        ),
      ],
      why: (r) =>
        `this training data (${r.from === 'home' ? 'this home' : 'the shipped leaderboard'}, ${r.file.source})`,
    },
    {
      rows: rows(
        'home',
        home.filter((f) => !f.fingerprint && f.source === name),
      ),
      why: () => `a file named ${name} in this home`,
    },
    { rows: rows('home', home), why: (r) => `another training file (${r.file.source}); none for this one` },
  ];
  for (const tier of tiers) {
    const b = best(tier.rows);
    if (!b) continue;
    const e = b.entry;
    const capped =
      e.rmseCappedTruth !== undefined ? `, ${e.rmseCappedTruth.toFixed(2)} vs truth capped at ${e.cap}` : '';
    return {
      family: b.family,
      from: b.from,
      entry: e,
      reason: `lowest ${e.folds}-fold CV RMSE of ${tier.rows.length} result(s) on ${tier.why(b)}: ${e.rmseRawTruth.toFixed(2)} vs raw truth${capped}`,
    };
  }
  return { family: fallback, from: 'default', reason: 'no CV results yet' };
}
