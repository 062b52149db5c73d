import { Button } from '@mantine/core';
import { useMemo } from 'react';
import { CopyAllButton } from '../../components/CopyAllButton.tsx';
import { TerminalModal } from '../terminal/TerminalModal.tsx';
import { TerminalScreen } from '../terminal/TerminalScreen.tsx';
import { linesToText } from '../terminal/terminalLine.ts';
import { type DebugRunState, type DebugTarget, debugLines } from './debugLines.ts';

interface RefreshDebugModalProps {
  target: DebugTarget | null;
  run: DebugRunState;
  onRunAgain: () => void;
  onClose: () => void;
}

/** "Token refresh (debug)": one run's HTTP exchange in the black terminal, with Copy all. */
export function RefreshDebugModal({ target, run, onRunAgain, onClose }: RefreshDebugModalProps) {
  const lines = useMemo(() => (target ? debugLines(target, run) : []), [target, run]);
  return (
    <TerminalModal
      opened={target !== null}
      onClose={onClose}
      title="Token refresh (debug)"
      actions={
        <>
          <CopyAllButton getText={() => linesToText(lines)} disabled={run.pending} />
          <Button size="xs" variant="light" color="blue" onClick={onRunAgain} loading={run.pending}>
            Run again
          </Button>
        </>
      }
    >
      <TerminalScreen lines={lines} label="Token refresh (debug) output" />
    </TerminalModal>
  );
}
