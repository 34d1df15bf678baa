/** The simulated network: which regions have an outage and how good each line is. Deterministic. */

/** A known incident in a region, for one kind of service. */
export interface Outage {
  incidentId: string;
  services: readonly ('fiber' | 'mobile' | 'dsl')[];
  cause: string;
  /** Local time by which service should be back. */
  eta: string;
}

export const DEFAULT_OUTAGES: Readonly<Record<string, Outage>> = {
  Hamburg: { incidentId: 'INC-4711', services: ['fiber'], cause: 'a damaged fiber trunk after road works', eta: '18:00' },
  Leipzig: { incidentId: 'INC-4720', services: ['mobile'], cause: 'maintenance on two cell towers', eta: '14:30' },
};

/** What a line test reports. */
export interface LineDiagnostics {
  status: 'ok' | 'degraded' | 'fault';
  /** Measured downstream rate, Mbit/s. */
  downstreamMbps: number;
  /** The rate the customer's plan provides, Mbit/s. */
  provisionedMbps: number;
  finding: string;
}

const provisioned = { fiber: 500, dsl: 100, mobile: 150 } as const;

/**
 * A deterministic line test: the same line always gives the same result, so demos and
 * tests are reproducible. Phone lines whose number ends in 9 have a physical fault; lines in a
 * region with an incident on their service run degraded (traffic is rerouted).
 */
export function diagnoseLine(
  service: 'fiber' | 'mobile' | 'dsl',
  line: string,
  region?: string,
  outages: Readonly<Record<string, Outage>> = DEFAULT_OUTAGES,
): LineDiagnostics {
  const rate = provisioned[service];
  if (/^\+?[\d ()/-]+$/.test(line) && line.endsWith('9')) {
    return {
      status: 'fault',
      downstreamMbps: 0,
      provisionedMbps: rate,
      finding: 'no sync on the line: a physical fault between the street cabinet and the home',
    };
  }
  const incident = region === undefined ? undefined : outages[region];
  if (incident?.services.includes(service)) {
    return {
      status: 'degraded',
      downstreamMbps: Math.round(rate * 0.12),
      provisionedMbps: rate,
      finding: `traffic is rerouted around ${incident.incidentId} and the line fell back to a low speed profile`,
    };
  }
  const seed = [...line].reduce((sum, character) => (sum * 31 + character.charCodeAt(0)) % 9973, 7);
  if (seed % 5 === 0) {
    return {
      status: 'degraded',
      downstreamMbps: Math.round(rate * 0.18),
      provisionedMbps: rate,
      finding: 'the line runs on a fallback speed profile after repeated drops',
    };
  }
  return { status: 'ok', downstreamMbps: Math.round(rate * 0.94), provisionedMbps: rate, finding: 'the line is in sync at full speed' };
}
