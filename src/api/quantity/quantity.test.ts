import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quantity, QuantityError, parseQuantity, type QuantityFormat } from './index.ts';

const q = (unscaled: number | bigint, exp: number, format: QuantityFormat) => new Quantity(BigInt(unscaled), exp, format);

test('parses amounts and formats as upstream', () => {
  const cases: [string, bigint | number, number, QuantityFormat][] = [
    ['0n', 0, 0, 'DecimalSI'], ['0Ki', 0, 0, 'BinarySI'], ['1', 1, 0, 'DecimalSI'],
    ['1Ki', 1024, 0, 'BinarySI'], ['7Mi', 7 * 1024 * 1024, 0, 'BinarySI'], ['3Ei', 3n * 2n ** 60n, 0, 'BinarySI'],
    ['5n', 5, -9, 'DecimalSI'], ['4u', 4, -6, 'DecimalSI'], ['3m', 3, -3, 'DecimalSI'], ['50k', 5, 4, 'DecimalSI'],
    ['1E', 1, 18, 'DecimalSI'], ['1E-3', 1, -3, 'DecimalExponent'], ['1e3', 1, 3, 'DecimalExponent'],
    ['100.035k', 100035, 0, 'DecimalSI'], ['0.0005k', 5, -1, 'DecimalSI'], ['0.5e-2', 5, -3, 'DecimalExponent'],
    ['1.3E+6', 13, 5, 'DecimalExponent'], ['6.987654321G', 6987654321, 0, 'DecimalSI'], ['1.01E', 101, 16, 'DecimalSI'],
    ['3.001n', 4, -9, 'DecimalSI'], ['1.1E-9', 2, -9, 'DecimalExponent'], ['0.0000000005', 1, -9, 'DecimalSI'],
    ['0.00000012354', 124, -9, 'DecimalSI'], ['9Ei', (1n << 63n) - 1n, 0, 'BinarySI'], ['12E', 12, 18, 'DecimalSI'],
    ['100.035Ki', 10243584, -2, 'BinarySI'], ['0.5Mi', 524288, 0, 'BinarySI'], ['0.000000000001Ki', 2, -9, 'DecimalSI'],
    ['.001', 1, -3, 'DecimalSI'], ['1.', 1, 0, 'DecimalSI'], ['1.G', 1, 9, 'DecimalSI'],
  ];
  for (const [input, unscaled, exp, format] of cases) {
    const got = parseQuantity(input);
    assert.equal(got.cmp(q(unscaled, exp, format)), 0, `${input}: ${got.canonical()}`);
    assert.equal(got.format, format, input);
  }
});

test('prints the canonical form', () => {
  const cases: [bigint | number, number, QuantityFormat, string][] = [
    [1024 * 1024 * 1024, 0, 'BinarySI', '1Gi'], [300 * 1024 * 1024, 0, 'BinarySI', '300Mi'], [1001 * 1024 ** 3, 0, 'BinarySI', '1001Gi'],
    [5, 0, 'BinarySI', '5'], [500, -3, 'BinarySI', '500m'], [1, 9, 'DecimalSI', '1G'], [1000, 6, 'DecimalSI', '1G'],
    [1080, -3, 'DecimalSI', '1080m'], [108, -2, 'DecimalSI', '1080m'], [10800, -4, 'DecimalSI', '1080m'],
    [1234567, 6, 'DecimalSI', '1234567M'], [1234567, -3, 'BinarySI', '1234567m'], [1025, 0, 'BinarySI', '1025'],
    [0, 0, 'BinarySI', '0'], [1, 9, 'DecimalExponent', '1e9'], [1, -3, 'DecimalExponent', '1e-3'], [80, -3, 'DecimalExponent', '80e-3'],
    [300, 6, 'DecimalExponent', '300e6'], [0, 0, 'DecimalExponent', '0'], [108, -8, 'DecimalSI', '1080n'], [10800, -10, 'DecimalSI', '1080n'],
  ];
  for (const [unscaled, exp, format, expect] of cases) {
    assert.equal(q(unscaled, exp, format).toString(), expect, expect);
    assert.equal(parseQuantity(expect).toString(), expect, `${expect} keeps its spelling`);
  }
});

test('canonicalises non-canonical spellings', () => {
  const cases: [string, string][] = [
    ['1000m', '1'], ['0.5', '500m'], ['1024Mi', '1Gi'], ['1000M', '1G'], ['.001Ki', '1024m'], ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'], ['.000000000001Ki', '2n'], ['1.5Gi', '1536Mi'], ['307200Ki', '300Mi'], ['0.001T', '1G'],
    ['1000u', '1m'], ['1.08', '1080m'], ['.001e12', '1e9'], ['0.001e0', '1e-3'], ['00', '0'], ['-1024Mi', '-1Gi'], ['-0.5', '-500m'],
  ];
  for (const [input, expect] of cases) assert.equal(parseQuantity(input).toString(), expect, input);
});

test('keeps spellings upstream keeps', () => {
  for (const s of ['100m', '1Gi', '128Mi', '250m', '2', '1e3', '1500e3']) assert.equal(parseQuantity(s).toString(), s);
});

test('rejects malformed quantities with upstream messages', () => {
  const formatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  for (const s of ['', '1.5x', 'abc', '1 Gi', '1Gi ', '1e3.5']) assert.throws(() => parseQuantity(s), { message: formatError }, s);
  for (const s of ['1i', '1Ki3', '1kk', '1e']) assert.throws(() => parseQuantity(s), { message: "unable to parse quantity's suffix" }, s);
  assert.throws(() => parseQuantity('x'), QuantityError);
});

test('compares, adds and subtracts exactly', () => {
  assert.equal(parseQuantity('1').cmp(parseQuantity('1000m')), 0);
  assert.equal(parseQuantity('1Gi').cmp(parseQuantity('1G')), 1);
  assert.equal(parseQuantity('500m').cmp(parseQuantity('0.6')), -1);
  assert.equal(parseQuantity('100m').add(parseQuantity('900m')).toString(), '1');
  assert.equal(parseQuantity('1Gi').sub(parseQuantity('512Mi')).toString(), '512Mi');
  assert.equal(Quantity.fromInt(0).add(parseQuantity('1Ki')).toString(), '1Ki');
});

test('value and milliValue round up', () => {
  assert.equal(parseQuantity('1500m').value(), 2);
  assert.equal(parseQuantity('1.5').milliValue(), 1500);
  assert.equal(parseQuantity('1n').milliValue(), 1);
  assert.equal(parseQuantity('1Ki').value(), 1024);
});

test('decodes JSON numbers and strings', () => {
  assert.equal(Quantity.fromJSON(2).toString(), '2');
  assert.equal(Quantity.fromJSON(0.5).toString(), '500m');
  assert.equal(Quantity.fromJSON(' 100m ').toString(), '100m');
  assert.equal(JSON.stringify({ cpu: parseQuantity('1000m') }), '{"cpu":"1"}');
});
