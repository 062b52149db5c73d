import { type AccountDetail, actionNeeded } from '@ebay-connector/contracts';
import { Badge, Code, Group, List, Text } from '@mantine/core';
import { Countdown } from '../../components/Countdown.tsx';
import { RelativeTime } from '../../components/RelativeTime.tsx';
import { RefreshTokenExpiry } from '../workers/RefreshTokenExpiry.tsx';
import { Fact, FactCard } from './FactList.tsx';

/** A policy's duration in words: "45 s", "15 min", "2 min 13 s", "1 h 5 min". */
export function span(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean);
  return parts.join(' ') || '0 s';
}

const POLICY_LABELS = { auto: 'Auto', warm: 'Warm', on_demand: 'On demand' } as const;

/** The account page's token state, refresh policy, last use and scopes (no secrets, not logged). */
export function AccountTokenCards({ detail }: { detail: AccountDetail }) {
  const status = detail.token_status;
  const policy = detail.refresh_policy;
  return (
    <>
      <FactCard title="Tokens">
        {status ? (
          <>
            <Fact label="Access token expires">
              <Countdown to={status.access_token_expires_at} size="sm" />
            </Fact>
            <Fact label="Refresh token expires">
              <RefreshTokenExpiry expiresAt={status.refresh_token_expires_at} />
            </Fact>
            <Fact label="Last refresh">
              <RelativeTime value={status.last_refresh_at} withAbsolute size="sm" />{' '}
              {status.last_refresh_success !== null && (
                <Badge size="xs" color={status.last_refresh_success ? 'green' : 'red'} variant="light">
                  {status.last_refresh_success ? 'ok' : 'failed'}
                </Badge>
              )}
            </Fact>
            {status.last_error_code && (
              <Fact label="Last error">
                <Text size="sm" c="red" ff="monospace">
                  {status.last_error_code}
                  {status.last_error_message ? `: ${status.last_error_message}` : ''}
                </Text>
                {status.last_refresh_success === false && actionNeeded(status.last_error_code) && (
                  <Text size="xs" fw={500}>
                    {actionNeeded(status.last_error_code)}
                  </Text>
                )}
                {status.consecutive_failures > 1 && (
                  <Text size="xs" c="dimmed">
                    {status.consecutive_failures} failures in a row
                  </Text>
                )}
              </Fact>
            )}
            <Fact label="Next refresh">
              {status.next_refresh_at ? (
                <Countdown to={status.next_refresh_at} size="sm" warnBelowMs={0} />
              ) : (
                <Text size="sm" c="dimmed">
                  none until someone acts (see the state)
                </Text>
              )}
            </Fact>
          </>
        ) : (
          <Fact label="Stored tokens">
            <Text size="sm" c="dimmed">
              none: erased when the account was removed
            </Text>
          </Fact>
        )}
      </FactCard>
      <FactCard
        title="Refresh policy"
        note="warm: refreshed ahead of expiry; on demand: refreshed when a service asks; auto: warm while the daily budget has room, most recently used first."
      >
        <Fact label="Policy">
          <Text size="sm" data-testid="refresh-policy">
            {POLICY_LABELS[policy.effective_policy]}
            {policy.policy === null && ' (deployment default)'}
            {' · '}
            {policy.warm && policy.effective_policy !== 'on_demand' ? 'warm now' : 'refreshed on demand now'}
          </Text>
        </Fact>
        <Fact label="Refreshed">
          <Text size="sm">
            when the access token expires within {span(policy.threshold_seconds)}
            {policy.jitter_seconds !== null && ` + ${span(policy.jitter_seconds)} (this account’s jitter)`}
          </Text>
        </Fact>
        <Fact label="Worker checks">
          <Text size="sm">every {span(policy.interval_seconds)}</Text>
        </Fact>
      </FactCard>
      <FactCard title="Use by services">
        <Fact label="Last used by a service">
          {detail.last_used_at ? (
            <RelativeTime value={detail.last_used_at} withAbsolute size="sm" />
          ) : (
            <Text size="sm" c="dimmed">
              not recorded
            </Text>
          )}
        </Fact>
      </FactCard>
      <FactCard title="Scopes">
        <Fact label={`Granted (${detail.granted_scopes.length})`}>
          <List size="xs" spacing={2}>
            {detail.granted_scopes.map((scope) => (
              <List.Item key={scope}>
                <Code>{scope.replace('https://api.ebay.com/oauth/', '')}</Code>
              </List.Item>
            ))}
          </List>
        </Fact>
        <Fact label="Missing">
          {detail.missing_scopes.length === 0 ? (
            <Text size="sm" c="teal">
              none: every scope this deployment asks for is granted
            </Text>
          ) : (
            <Group gap={4}>
              {detail.missing_scopes.map((scope) => (
                <Badge key={scope} color="red" variant="light" size="sm" tt="none">
                  {scope.replace('https://api.ebay.com/oauth/', '')}
                </Badge>
              ))}
              <Text size="xs" c="dimmed">
                Reconnect to grant them.
              </Text>
            </Group>
          )}
        </Fact>
      </FactCard>
    </>
  );
}
