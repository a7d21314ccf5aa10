// The colours a document outside the app's page needs as values: the mail
// viewer's sandboxed frame (lib/mail/viewer.ts) loads no stylesheet of ours
// and cannot read CSS variables. Same names and values as tokens.css, which
// tokens.test.ts checks, so a colour changed there and not here fails.
export const frameColours = {
  ink: '#1d2330',
  'ink-soft': '#4a5263',
  line: '#dcd8cf',
  accent: '#24548a',
  paper: '#ffffff',
} as const;

export type FrameColour = keyof typeof frameColours;
