import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorFromObject, labelSelectorToString, matchesLabels, parseLabelSelector } from './label-selector.js';
import { fieldSelectorToString, matchesFields, parseFieldSelector } from './field-selector.js';
import { isBerthError } from '../../../base/errors.js';

test('label selector string forms kubectl and helm send', () => {
  const s = parseLabelSelector('name=web, owner==helm,status!=superseded,tier in (fe, be),env notin (prod),app,!canary');
  assert.deepEqual(s.requirements.map((r) => r.operator), ['Equals', 'Equals', 'NotEquals', 'In', 'NotIn', 'Exists', 'DoesNotExist']);
  assert.deepEqual(s.requirements[3]!.values, ['fe', 'be']);
  const l = { name: 'web', owner: 'helm', status: 'deployed', tier: 'fe', app: 'x' };
  assert.equal(matchesLabels(s, l), true);
  assert.equal(matchesLabels(s, { ...l, canary: 'yes' }), false);
  assert.equal(matchesLabels(s, { ...l, env: 'prod' }), false);
  assert.equal(matchesLabels(s, { ...l, status: 'superseded' }), false);
  assert.equal(matchesLabels(s, { ...l, tier: 'db' }), false);
  const { app: _a, ...noApp } = l;
  assert.equal(matchesLabels(s, noApp), false);
  assert.equal(matchesLabels(parseLabelSelector(''), undefined), true);
  assert.equal(matchesLabels(parseLabelSelector('a!=b'), undefined), true, '!= matches a missing label');
  assert.equal(matchesLabels(parseLabelSelector('n>3'), { n: '4' }), true);
  assert.equal(matchesLabels(parseLabelSelector('n<3'), { n: '4' }), false);
  assert.equal(matchesLabels(parseLabelSelector('example.com/role=db'), { 'example.com/role': 'db' }), true);
  assert.equal(matchesLabels(parseLabelSelector('a='), { a: '' }), true);
  assert.equal(labelSelectorToString(parseLabelSelector('b in (y,x),a=1,!c')), 'b in (x,y),a=1,!c');
});

test('bad label selectors are InvalidArgument naming the selector', () => {
  for (const bad of ['a=b,', ',a', 'a in b', 'a in (b', 'a==b==c', '-bad=x', 'a=-bad-', 'a b', 'x/y/z=1', 'n>x', 'a in ()', 'a=b)', `${'k'.repeat(64)}=v`]) {
    assert.throws(() => parseLabelSelector(bad), (e) => isBerthError(e, 'InvalidArgument') && e.message.includes(`"${bad}"`), bad);
  }
});

test('LabelSelector objects (matchLabels / matchExpressions); nil selects nothing, {} everything', () => {
  const s = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }, { key: 'old', operator: 'DoesNotExist' }] });
  assert.equal(matchesLabels(s, { app: 'web', tier: 'fe' }), true);
  assert.equal(matchesLabels(s, { app: 'web', tier: 'fe', old: '1' }), false);
  assert.equal(labelSelectorToString(s), 'app=web,tier in (fe),!old');
  assert.equal(matchesLabels(labelSelectorFromObject(null), { a: 'b' }), false);
  assert.equal(matchesLabels(labelSelectorFromObject({}), { a: 'b' }), true);
  for (const bad of [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    { matchExpressions: [{ key: 'a', operator: 'Near' }] }, { matchLabels: { a: 1 } }, { matchLabels: { 'bad key!': 'x' } }, 'app=web']) {
    assert.throws(() => labelSelectorFromObject(bad), (e) => isBerthError(e, 'InvalidArgument'), JSON.stringify(bad));
  }
});

test('field selectors: =, ==, != on dotted paths, escaping, missing fields compare as ""', () => {
  const ev = { metadata: { name: 'e1', namespace: 'ns' }, involvedObject: { name: 'web', namespace: 'ns', uid: 'u1', kind: 'Pod' }, spec: { nodeName: 'n1', unschedulable: true }, count: 3 };
  assert.equal(matchesFields(parseFieldSelector('involvedObject.name=web,involvedObject.namespace=ns,involvedObject.uid=u1,involvedObject.kind=Pod'), ev), true);
  assert.equal(matchesFields(parseFieldSelector('metadata.name==e1'), ev), true);
  assert.equal(matchesFields(parseFieldSelector('spec.nodeName!=n1'), ev), false);
  assert.equal(matchesFields(parseFieldSelector('spec.unschedulable=true,count=3'), ev), true);
  assert.equal(matchesFields(parseFieldSelector('status.phase='), ev), true);
  assert.equal(matchesFields(parseFieldSelector(''), ev), true);
  const esc = parseFieldSelector('metadata.name=a\\,b\\=c');
  assert.equal(esc.requirements[0]!.value, 'a,b=c');
  assert.equal(fieldSelectorToString(esc), 'metadata.name=a\\,b\\=c');
  for (const bad of ['metadata.name', 'a=b,,c=d', '=x', 'a=b=c', 'a=x\\q', 'a b=c']) {
    assert.throws(() => parseFieldSelector(bad), (e) => isBerthError(e, 'InvalidArgument') && e.message.includes(`"${bad}"`), bad);
  }
});
