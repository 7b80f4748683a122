import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../client/api-client.ts';
import { classInfo, isOurIngress } from './ingress-class.ts';

const cfg = { className: 'navarch', controllerName: 'navarch.io/ingress-controller' };
const cls = (name: string, controller: string, isDefault = false): KubeObject =>
  ({ metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} }, spec: { controller } });
const ing = (className?: string, legacy?: string): KubeObject =>
  ({ metadata: { name: 'i', namespace: 'default', annotations: legacy ? { 'kubernetes.io/ingress.class': legacy } : {} }, spec: className ? { ingressClassName: className } : {} });

test('an Ingress naming our class is ours, even before the IngressClass object exists', () => {
  const info = classInfo([], cfg);
  assert.equal(isOurIngress(ing('navarch'), info), true);
  assert.equal(isOurIngress(ing('nginx'), info), false);
});

test('another class implemented by our controller is ours too; our name implemented by another controller is not', () => {
  assert.equal(isOurIngress(ing('internal'), classInfo([cls('internal', cfg.controllerName)], cfg)), true);
  assert.equal(isOurIngress(ing('navarch'), classInfo([cls('navarch', 'k8s.io/ingress-nginx')], cfg)), false);
});

test('an Ingress without a class is ours only when our IngressClass is the default', () => {
  assert.equal(isOurIngress(ing(), classInfo([cls('navarch', cfg.controllerName)], cfg)), false);
  assert.equal(isOurIngress(ing(), classInfo([cls('navarch', cfg.controllerName, true)], cfg)), true);
  assert.equal(isOurIngress(ing(), classInfo([cls('nginx', 'k8s.io/ingress-nginx', true)], cfg)), false, 'another default class');
});

test('the legacy kubernetes.io/ingress.class annotation decides by itself', () => {
  const info = classInfo([cls('navarch', cfg.controllerName, true)], cfg);
  assert.equal(isOurIngress(ing(undefined, 'navarch'), info), true);
  assert.equal(isOurIngress(ing(undefined, 'traefik'), info), false, 'a foreign annotation beats our default class');
});
