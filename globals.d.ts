/*
 * The globals the SCORM package's scripts share, for `tsc --checkJs`
 * (tsconfig.json, tsconfig.app.json). Beside them at the repository root, not
 * in the plugin: it is no part of the zip or of the wheel.
 *
 * Load order in the package (docs/scorm-package.md): course-data.js defines
 * PMKIT_PACKAGE, pmkit-scoring.js pmkitScorers, scorm-runtime.js PmkitLms and
 * PmkitRuntime; app.js reads them all and publishes pmkitApp.
 *
 * The type of PMKIT_PACKAGE itself, PmkitPackage, is a JSDoc typedef in
 * plugins/pmkit_builtins/scorm/app/app-course.js, next to the code that reads it.
 */

/* ------------------------------------------------------------ course-data.js */

declare var PMKIT_PACKAGE: PmkitPackage;

/* ---------------------------------------------------------- pmkit-scoring.js */

/** A scorer's twin: fn(table, answers, options) (plugins/pmkit_builtins/scoring). */
type PmkitScorerFn = (table: { [key: string]: any }, answers: { [id: string]: any },
                      options?: { mastery?: number | null }) => any;

interface PmkitScorers {
  register(name: string, fn: PmkitScorerFn): void;
  get(name: string): PmkitScorerFn;
  names(): string[];
}

declare var pmkitScorers: PmkitScorers;

/** What a recommendation scorer returns (pmkit.Recommendation as JSON). */
interface Contribution {
  question: string;
  answer: any;
  points: { [track: string]: number };
}

interface Recommendation {
  kind: "recommendation";
  scorer: string;
  track: string;
  tie: string[];
  total: number;
  tracks: { track: string; points: number; share: number }[];
  contributions: Contribution[];
  path: { node: string; option: string }[];
}

/** What a grade scorer returns (pmkit.Grade as JSON). */
interface QuestionResult {
  question: string;
  type: string;
  status: "correct" | "partial" | "incorrect" | "unanswered";
  score: number;
}

interface Grade {
  kind: "grade";
  scorer: string;
  points: number;
  max: number;
  scaled: number;
  percent: number;
  mastery: number;
  passed: boolean;
  questions: QuestionResult[];
}

/* ---------------------------------------------------------- scorm-runtime.js */

/** The version-independent LMS plumbing (app/runtime-common.js). */
interface LmsError {
  code: string;
  text: string;
  call: string;
}

interface LmsConnection {
  api: any;
  initialized: boolean;
  finished: boolean;
  last: LmsError | null;
  recording: boolean;
  notify: (text: string) => void;
  find(): any;
  call(fn: string, args: any[], element?: string): boolean;
  get(element: string): string;
  set(element: string, value: string | number): boolean;
}

interface PmkitLmsModule {
  connect(win: Window, apiName: string,
          methods: { getLastError: string; getErrorString: string;
                     getValue: string; setValue: string }): LmsConnection;
  pad(n: number, width: number): string;
  decimal(value: number): string;
  duration(ms: number): string;
  mode(value: string): "normal" | "review" | "browse";
  callsBack(open: (notify?: (text: string) => void) => StartInfo):
    (notify?: (text: string) => void, done?: (info: StartInfo) => void) => StartInfo;
}

/** What PmkitRuntime.start() tells the app (app/runtime-12.js, runtime-2004.js,
 * runtime-cmi5.js). */
interface StartInfo {
  connected: boolean;
  version: "1.2" | "2004" | "cmi5";
  mode: "normal" | "review" | "browse";
  entry: string;
  state: string;
  location: string;
  status: { completion: string; success: string; lms?: string };
  score: number | null;
  progress: number | null;
  interactions: number;
  /** the pass mark in percent the LMS gives (cmi5 LMS.LaunchData masteryScore) */
  mastery?: number;
}

/** The LMS adapter: the same interface in both SCORM versions. */
interface PmkitRuntimeApi {
  version: "1.2" | "2004" | "cmi5";
  /** calls done once connected (at once for SCORM, after its requests for cmi5) */
  start(notify?: (text: string) => void, done?: (info: StartInfo) => void): StartInfo | void;
  connected(): boolean;
  saveState(suspendData: string, location?: string | null): void;
  recordInteraction(n: number, q: QuestionScorm, response: string, result: string | number,
                    latencyMs: number, date?: Date): void;
  setStatus(status: "incomplete" | "passed" | "failed"):
    { completion: string; success: string } | void;
  setScore(scaled: number): void;
  setProgress(measure: number): void;
  setObjectives(tracks: { id: string; share: number }[]): void;
  commit(): boolean | void;
  finish(timed: boolean): void;
  lastError(): LmsError | null;
}

declare var PmkitLms: PmkitLmsModule;
declare var PmkitRuntime: PmkitRuntimeApi;

/* -------------------------------------------------------------------- app.js */

/** The app's test hooks (app/app-main.js). */
interface PmkitAppHooks {
  encodeState(state: AppState): string;
  decodeState(text: any): AppState | null;
  worstCaseState(): string;
  state(): AppState;
  screens(): string[];
  go(id: string | number): void;
}

declare var pmkitApp: PmkitAppHooks;

/* pmkit-scoring.js also runs under Node (tests/test_scoring_parity.py). */
declare var module: { exports: any } | undefined;
