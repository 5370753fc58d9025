import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regionArea } from './region.ts';

test('cloud region names fall in the jurisdiction they name', () => {
  for (const r of ['eu', 'EU', 'eu-central-1', 'eu-west-3', 'europe-west4', 'westeurope', 'swedencentral'])
    assert.equal(regionArea(r), 'eu', r);
  for (const r of ['us', 'us-east-1', 'us-gov-west-1', 'us-central1', 'eastus2'])
    assert.equal(regionArea(r), 'us', r);
  for (const r of ['ap-southeast-1', 'asia-east1', 'japaneast', 'europa', 'eu-central'])
    assert.equal(regionArea(r), 'other', r);
});
