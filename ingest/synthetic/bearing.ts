/**
 * Rolling-element bearing geometry and its characteristic defect frequencies (Randall & Antoni,
 * "Rolling element bearing diagnostics — a tutorial", MSSP 25 (2011), eq. 1-4), with fr the shaft
 * frequency, n rolling elements, d element diameter, D pitch diameter, phi contact angle:
 *   BPFO = n fr/2 (1 - d/D cos phi)      outer-race defect
 *   BPFI = n fr/2 (1 + d/D cos phi)      inner-race defect
 *   FTF  =   fr/2 (1 - d/D cos phi)      cage (fundamental train)
 *   BSF  = D fr/(2d) (1 - (d/D cos phi)^2)  ball spin
 */
export interface BearingGeometry {
  /** pitch diameter D, mm */
  pitchDiameterMm: number;
  /** rolling element diameter d, mm */
  ballDiameterMm: number;
  /** number of rolling elements n */
  ballCount: number;
  /** contact angle phi, degrees */
  contactAngleDeg: number;
}

export interface DefectFrequencies {
  bpfo: number;
  bpfi: number;
  bsf: number;
  ftf: number;
}

/**
 * Rexnord ZA-2115 double-row bearing, the one in the IMS run-to-failure test rig
 * (16 rollers, 0.331 in roller, 2.815 in pitch diameter, 15.17 deg contact angle).
 */
export const ZA2115: BearingGeometry = {
  pitchDiameterMm: 71.501,
  ballDiameterMm: 8.4074,
  ballCount: 16,
  contactAngleDeg: 15.17,
};

export function defectFrequencies(g: BearingGeometry, shaftHz: number): DefectFrequencies {
  const r = (g.ballDiameterMm / g.pitchDiameterMm) * Math.cos((g.contactAngleDeg * Math.PI) / 180);
  return {
    bpfo: ((g.ballCount * shaftHz) / 2) * (1 - r),
    bpfi: ((g.ballCount * shaftHz) / 2) * (1 + r),
    bsf: ((g.pitchDiameterMm * shaftHz) / (2 * g.ballDiameterMm)) * (1 - r * r),
    ftf: (shaftHz / 2) * (1 - r),
  };
}
