import { describe, expect, it } from 'vitest';
import { createBackendPlugin } from '@backplane/plugin-api';
import { classifyFeature, unwrapFeature } from './unwrapFeature';

const plugin = createBackendPlugin({
  pluginId: 'p',
  register(reg) {
    reg.registerInit({ deps: {}, init: () => {} });
  },
});

describe('unwrapFeature', () => {
  it('should return a feature, its default export, or the default of its default', () => {
    expect(unwrapFeature(plugin)).toBe(plugin);
    expect(unwrapFeature({ default: plugin })).toBe(plugin);
    expect(unwrapFeature({ default: { default: plugin } })).toBe(plugin);
  });

  it('should not unwrap a third level', () => {
    expect(() => unwrapFeature({ default: { default: { default: plugin } } })).toThrow(
      "BACKPLANE_INVALID_FEATURE: backend.add() received an object with keys 'default', which is not a backend feature.",
    );
  });

  it('should say what was passed, and suggest calling a plain function', () => {
    expect(() => unwrapFeature('catalog')).toThrow("received a string 'catalog', which is not");
    expect(() => unwrapFeature([plugin])).toThrow('received an array of 1 item(s), which is not');
    expect(() => unwrapFeature(function myPlugin() {})).toThrow(
      "received a function named 'myPlugin', which is not a backend feature. Pass a feature made by createBackendPlugin, createBackendModule, createServiceFactory or createBackendFeatureLoader, a module whose default export is one, or a promise of either, for example backend.add(import('./plugin')). If this function creates a feature, call it and pass the result.",
    );
    expect(() => unwrapFeature({ $$type: '@backstage/ServiceRef', id: 'x' })).toThrow(
      "received an object with $$type '@backstage/ServiceRef', which is not a backend feature.",
    );
  });
});

describe('classifyFeature', () => {
  it('should read featureType, and the older shapes without it', () => {
    expect(classifyFeature(plugin).kind).toBe('registrations');
    const legacy = { $$type: '@backstage/BackendFeature', getRegistrations: () => [] };
    expect(classifyFeature(legacy).kind).toBe('registrations');
    const service = { $$type: '@backstage/BackendFeature', service: { id: 'x' }, factory() {} };
    expect(classifyFeature(service).kind).toBe('service');
  });

  it('should reject other versions and unknown feature types, saying what to do', () => {
    expect(() => classifyFeature({ $$type: '@backstage/BackendFeature', version: 'v2' })).toThrow(
      "BACKPLANE_INVALID_FEATURE: backend.add() received a feature of version 'v2', but this backend reads version 'v1' only. Upgrade the package that made the feature.",
    );
    expect(() =>
      classifyFeature({ $$type: '@backstage/BackendFeature', version: 'v1', featureType: 'x' }),
    ).toThrow(
      "backend.add() received a backend feature with featureType 'x' that this backend cannot read (expected 'service' with a factory, 'registrations' with getRegistrations, or 'loader' with a loader function). Upgrade the package that made it.",
    );
  });
});
