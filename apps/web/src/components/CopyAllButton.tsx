import { Button, type ButtonProps } from '@mantine/core';
import { useState } from 'react';

interface CopyAllButtonProps extends Omit<ButtonProps, 'children'> {
  /** Called on click, so large texts are only built when someone copies. */
  getText: () => string;
  /** The idle label; "Copy all" unless told. */
  label?: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

/** "Copy all": puts the whole text on the clipboard and says whether that worked. */
export function CopyAllButton({ getText, label = 'Copy all', ...props }: CopyAllButtonProps) {
  const [state, setState] = useState<CopyState>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(getText());
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };

  return (
    <Button
      size="xs"
      variant="light"
      color={state === 'failed' ? 'red' : state === 'copied' ? 'green' : 'gray'}
      onClick={() => void copy()}
      aria-live="polite"
      {...props}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </Button>
  );
}
