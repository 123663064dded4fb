/** How errors are worded around their parts (the parts themselves come from each module's messages). */
export const errors = {
  'error.expected': ' (expected {what})',
  'error.internal': 'internal error (please report): {detail}',
  'path.outside-workspace': '{path} leads outside the workspace; chujing reads and writes only inside it',
  'path.inside-workspace-expected': 'a path inside the workspace folder (no .., absolute path or symlink leading out)',
} as const;
