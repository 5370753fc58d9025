import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedCountsOf } from '../src/stats/paired-counts.ts';
import { correctedCorrelation, pairedDifferenceInterval } from '../src/stats/paired-difference.ts';

// Reference: Newcombe (1998) method 10 written from the paper in R 4.2.2, Wilson limits from prop.test:
//   newcombe10 <- function(x) {  # x = c(a, b, c, d): both pass, only A, only B, both fail
//     n <- sum(x); p1 <- (x[1] + x[2]) / n; p2 <- (x[1] + x[3]) / n
//     w1 <- prop.test(x[1] + x[2], n, correct = FALSE)$conf.int
//     w2 <- prop.test(x[1] + x[3], n, correct = FALSE)$conf.int
//     m <- (x[1] + x[2]) * (x[3] + x[4]) * (x[1] + x[3]) * (x[2] + x[4]); B <- x[1] * x[4] - x[2] * x[3]
//     phi <- if (m == 0) 0 else (if (B > n / 2) B - n / 2 else min(B, 0)) / sqrt(m)
//     c(p1 - p2 - sqrt((p1 - w1[1])^2 - 2 * phi * (p1 - w1[1]) * (w2[2] - p2) + (w2[2] - p2)^2),
//       p1 - p2 + sqrt((p2 - w2[1])^2 - 2 * phi * (p2 - w2[1]) * (w1[2] - p1) + (w1[2] - p1)^2))
//   }
// and again in Python with SciPy 1.17 Wilson limits
// (`binomtest(k, n).proportion_ci(method="wilson")`); both agree to 1e-15 on every row below.
test('pairedDifferenceInterval matches Newcombe method 10 computed in R and SciPy', () => {
  const reference: Array<[[number, number, number, number], number, number]> = [
    [[1, 1, 7, 12], -0.506920226686141, -0.0255591241648599], // newcombe10(c(1,1,7,12))
    [[59, 6, 16, 80], -0.11862119563871, -0.00462511393305007], // newcombe10(c(59,6,16,80))
    [[36, 12, 2, 0], 0.0569295840032387, 0.340427602974941], // newcombe10(c(36,12,2,0))
    [[20, 0, 0, 30], -0.0403803315829743, 0.0403803315829743], // newcombe10(c(20,0,0,30))
    [[0, 8, 4, 0], -0.218755822254401, 0.723759817817574], // newcombe10(c(0,8,4,0))
    [[0, 0, 0, 10], -0.277532799862889, 0.277532799862889], // newcombe10(c(0,0,0,10))
    [[10, 0, 0, 0], -0.277532799862889, 0.277532799862889], // newcombe10(c(10,0,0,0))
    [[5, 0, 5, 0], -0.763406909487436, -0.117367467450222], // newcombe10(c(5,0,5,0))
    [[150, 20, 10, 120], -0.00276269390010819, 0.0691819968601443], // newcombe10(c(150,20,10,120))
    [[0, 1, 0, 0], -0.122108720681942, 1], // newcombe10(c(0,1,0,0))
  ];
  for (const [[a, b, c, d], low, high] of reference) {
    const interval = pairedDifferenceInterval(pairedCountsOf(a, b, c, d));
    assert.ok(Math.abs(interval.estimate - (b - c) / (a + b + c + d)) < 1e-15);
    assert.ok(Math.abs(interval.low - low) < 1e-12, `low for ${[a, b, c, d]}: ${interval.low} vs ${low}`);
    assert.ok(
      Math.abs(interval.high - high) < 1e-12,
      `high for ${[a, b, c, d]}: ${interval.high} vs ${high}`,
    );
  }
});

// Published worked example: airway hyper-responsiveness before and after stem cell transplantation (Bentur et al.
// 2009), table (1, 1, 7, 12), from Fagerland, Lydersen & Laake, Stat Med 2014;33:2850. The R package ratesci's
// "Paired contrasts" vignette cross-checks that published example with
// `moverpairci(x = c(1, 1, 7, 12), contrast = "RD", corc = TRUE, type = "wilson", precis = 4)` → −0.5069, −0.0256.
test('pairedDifferenceInterval reproduces the published Bentur example', () => {
  const interval = pairedDifferenceInterval(pairedCountsOf(1, 1, 7, 12));
  assert.equal(interval.low.toFixed(4), '-0.5069');
  assert.equal(interval.high.toFixed(4), '-0.0256');
});

test('correctedCorrelation follows Newcombe: shrink a positive ad − bc by n/2, zero for an empty margin', () => {
  // ad − bc = 59·80 − 6·16 = 4624, n/2 = 80.5, margins 65·96·75·86: (4624 − 80.5) / sqrt(65·96·75·86)
  assert.ok(
    Math.abs(correctedCorrelation(pairedCountsOf(59, 6, 16, 80)) - 4543.5 / Math.sqrt(65 * 96 * 75 * 86)) <
      1e-15,
  );
  assert.equal(correctedCorrelation(pairedCountsOf(3, 1, 1, 1)), 0); // ad − bc = 2 ≤ n/2 = 3
  assert.equal(correctedCorrelation(pairedCountsOf(1, 1, 7, 12)), 0); // ad − bc = 5 ≤ n/2 = 10.5
  assert.equal(correctedCorrelation(pairedCountsOf(0, 8, 4, 0)), -1); // −32 / sqrt(8·4·4·8)
  assert.equal(correctedCorrelation(pairedCountsOf(5, 0, 5, 0)), 0);
});

test('pairedDifferenceInterval with no cases spans [−1, 1]', () => {
  const interval = pairedDifferenceInterval(pairedCountsOf(0, 0, 0, 0));
  assert.ok(Number.isNaN(interval.estimate));
  assert.equal(interval.low, -1);
  assert.equal(interval.high, 1);
  assert.throws(() => pairedDifferenceInterval(pairedCountsOf(1, 0, 0, 0), 1.5), RangeError);
});
