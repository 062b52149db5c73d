import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../api/apiError.ts';
import { ACCOUNT_ID, buildDebugResult, MASKED_ACCESS, MASKED_REFRESH } from '../../test/fixtures.ts';
import { renderWithProviders } from '../../test/renderApp.tsx';
import type { DebugRunState } from './debugLines.ts';
import { RefreshDebugModal } from './RefreshDebugModal.tsx';

const target = { id: ACCOUNT_ID, house_name: 'Main Store', environment: 'sandbox' as const };

function renderModal(run: DebugRunState, onClose = () => {}) {
  renderWithProviders(
    <RefreshDebugModal target={target} run={run} onRunAgain={() => {}} onClose={onClose} />,
  );
  return screen.getByRole('log', { name: 'Token refresh (debug) output' });
}

const lineTexts = (log: HTMLElement) =>
  Array.from(log.querySelectorAll('[data-tone]'), (node) => node.textContent);

describe('Token refresh (debug) modal', () => {
  it('prints the request block, then the response block, then the result', () => {
    const log = renderModal({ result: buildDebugResult(), error: null, pending: false });
    const lines = lineTexts(log);
    const request = lines.indexOf('=== HTTP REQUEST ===');
    const response = lines.indexOf('=== HTTP RESPONSE ===');
    expect(request).toBeGreaterThan(0);
    expect(response).toBeGreaterThan(request);
    expect(lines[request + 1]).toBe('POST https://api.sandbox.ebay.com/identity/v1/oauth2/token');
    expect(lines[response + 1]).toBe('HTTP 200 OK');
    expect(lines.indexOf('=== RESULT ===')).toBeGreaterThan(response);
    expect(within(log).getByText(/^success — new access token expires/)).toHaveAttribute(
      'data-tone',
      'success',
    );
    expect(screen.getByText('Token refresh (debug)')).toBeInTheDocument();
  });

  it('shows masked tokens as the server gave them', () => {
    const log = renderModal({ result: buildDebugResult(), error: null, pending: false });
    expect(
      within(log).getByText(
        new RegExp(`refresh_token=${MASKED_REFRESH.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&')}`),
      ),
    ).toBeInTheDocument();
    expect(
      within(log).getByText(`"access_token": "${MASKED_ACCESS}",`, { exact: false }),
    ).toBeInTheDocument();
  });

  it('gives the reason and the diagnosis when no HTTP was made', () => {
    const result = buildDebugResult({
      success: false,
      error: 'decrypt_failed',
      error_description: 'refresh token could not be decrypted',
      diagnosis: 'auth_failed',
      request: null,
      response: null,
      access_token_expires_at: null,
    });
    const log = renderModal({ result, error: null, pending: false });
    expect(within(log).queryByText('=== HTTP REQUEST ===')).not.toBeInTheDocument();
    expect(within(log).getByText('No HTTP request was made.')).toBeInTheDocument();
    expect(
      within(log).getByText('failed — decrypt_failed: refresh token could not be decrypted'),
    ).toHaveAttribute('data-tone', 'error');
    expect(
      within(log).getByText(/^diagnosis: auth_failed — the ciphertext does not authenticate/),
    ).toBeInTheDocument();
  });

  it('shows eBay errors with the response that carried them', () => {
    const result = buildDebugResult({
      success: false,
      error: 'invalid_grant',
      error_description: 'the refresh token was revoked',
      response: { status_code: 400, reason: 'Bad Request', headers: {}, body: '{"error":"invalid_grant"}' },
    });
    const log = renderModal({ result, error: null, pending: false });
    expect(within(log).getByText('HTTP 400 Bad Request')).toBeInTheDocument();
    expect(
      within(log).getByText('failed — invalid_grant: the refresh token was revoked'),
    ).toBeInTheDocument();
  });

  it('says when the debug request itself failed', () => {
    const error = new ApiRequestError(429, 'rate_limited', 'Too many debug refreshes');
    const log = renderModal({ result: undefined, error, pending: false });
    expect(
      within(log).getByText('Request failed: Too many debug refreshes (rate_limited)'),
    ).toBeInTheDocument();
  });

  it('copies the whole transcript with Copy all', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue();
    renderModal({ result: buildDebugResult(), error: null, pending: false });
    await user.click(screen.getByRole('button', { name: 'Copy all' }));
    const copied = writeText.mock.calls[0]?.[0] ?? '';
    expect(copied).toMatch(/=== HTTP REQUEST ===\nPOST .*\n[\s\S]*=== HTTP RESPONSE ===\nHTTP 200 OK/);
    expect(copied).toContain(`refresh_token=${MASKED_REFRESH}`);
  });

  it('closes on Escape', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    renderModal({ result: buildDebugResult(), error: null, pending: false }, onClose);
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
