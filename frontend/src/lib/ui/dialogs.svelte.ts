// In-app confirmation and prompt dialogs (window.confirm and prompt look
// foreign, block the page and are not translated). DialogHost renders them.
export interface DialogRequest {
  kind: 'confirm' | 'prompt';
  message: string;
  confirmLabel: string;
  danger: boolean;
  value: string;
  resolve: (v: string | null) => void;
}

export const dialog = $state({ current: null as DialogRequest | null });

export function askConfirm(message: string, confirmLabel: string, danger = false): Promise<boolean> {
  return new Promise((ok) => {
    dialog.current = { kind: 'confirm', message, confirmLabel, danger, value: '', resolve: (v) => ok(v !== null) };
  });
}

export function askText(message: string, confirmLabel: string, value = ''): Promise<string | null> {
  return new Promise((ok) => {
    dialog.current = { kind: 'prompt', message, confirmLabel, danger: false, value, resolve: ok };
  });
}
