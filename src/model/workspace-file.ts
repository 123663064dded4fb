/** The root file of a workspace folder (kept apart from the loader so that `init` need not load it). */
export const WORKSPACE_FILE = 'chujing.yaml';
