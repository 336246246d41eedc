/** What every view gets: the dataset, its element, and links into the other views. */
export interface ViewCtx {
  readonly dataset: string;
  readonly root: HTMLElement;
  /** `#/d/<dataset>/<path>` */
  link(path: string): string;
  /** The session's scope (read, write). */
  readonly scope: () => string;
  /** Opens a session from a typed key (the seed planner needs write). */
  readonly upgrade: (key: string) => Promise<void>;
}

export const base = (ds: string) => `/v1/datasets/${encodeURIComponent(ds)}`;
