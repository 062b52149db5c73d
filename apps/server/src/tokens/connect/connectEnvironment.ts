import type { Environment } from '@ebay-connector/contracts';
import type { AppContext } from '../../context.ts';

export interface EnvironmentRefusal {
  ok: false;
  code: 'environment_not_configured';
  message: string;
}

/**
 * One set of eBay app credentials serves one eBay environment (the simulator serves both):
 * connecting a seller of the other environment could never work, so it is refused before
 * any state is stored.
 */
export function refuseUnconfiguredEnvironment(
  ebay: Pick<AppContext['ebay'], 'simulated' | 'defaultEnvironment'>,
  environment: Environment,
): EnvironmentRefusal | null {
  if (ebay.simulated || environment === ebay.defaultEnvironment) return null;
  return {
    ok: false,
    code: 'environment_not_configured',
    message: `environment: this deployment's eBay credentials are for ${ebay.defaultEnvironment}`,
  };
}
