import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePodLogOptions, kubeletLogQuery, kubeletLogError } from './pod-logs.ts';

const q = (s: string) => new URLSearchParams(s);

test('log options reach the kubelet in upstream LogLocation form', () => {
  const o = parsePodLogOptions(q('container=app&follow=true&tailLines=10&timestamps=1&limitBytes=100&sinceSeconds=60'), 'web');
  assert.equal(kubeletLogQuery(o), '?follow=true&timestamps=true&sinceSeconds=60&tailLines=10&limitBytes=100');
  assert.equal(kubeletLogQuery(parsePodLogOptions(q('sinceTime=2024-01-02T03:04:05Z'), 'web')), '?sinceTime=2024-01-02T03%3A04%3A05Z');
  assert.equal(kubeletLogQuery(parsePodLogOptions(q(''), 'web')), '');
});

test('invalid log options are rejected as upstream validates them', () => {
  assert.throws(() => parsePodLogOptions(q('tailLines=-1&limitBytes=0'), 'web'), {
    code: 422,
    message: 'PodLogOptions "web" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]',
  });
  assert.throws(() => parsePodLogOptions(q('sinceSeconds=5&sinceTime=2024-01-02T03:04:05Z'), 'web'), /at most one of `sinceTime` or `sinceSeconds` may be specified/);
  assert.throws(() => parsePodLogOptions(q('follow=maybe'), 'web'), { code: 400 });
});

test('kubelet log errors become the Status upstream derives from them', () => {
  assert.deepEqual(kubeletLogError(400, 'container "a" in pod "p" is waiting to start: ContainerCreating', 'p').status.message, 'container "a" in pod "p" is waiting to start: ContainerCreating');
  assert.equal(kubeletLogError(500, 'boom', 'p').message, 'Internal error occurred: boom');
  const nf = kubeletLogError(404, 'pod "p" does not exist', 'p');
  assert.equal(nf.message, 'the server could not find the requested resource ( pods/log p)');
  assert.equal(nf.reason, 'NotFound');
});
