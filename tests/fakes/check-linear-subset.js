#!/usr/bin/env node
// Checks that linear-schema.graphql, the schema the fake Linear serves, is a true subset of
// Linear's published schema (../shared/schemas/linear.graphql beside the repository, or the
// path given as the first argument): every type it declares exists there with the same kind,
// every field exists with the same type, exactly the same arguments (names, types, defaults)
// and the same deprecation, every input type and enum carries exactly the real fields and
// values, and implemented interfaces are real ones. A query that validates against the subset
// then validates against Linear. Prints one line per mismatch and a closing line; exits 0 when
// everything matches, 1 on any mismatch, 77 (skip) when the shared schema is absent.
'use strict';
module.paths.push('/usr/share/nodejs');
const fs = require('fs');
const path = require('path');
const {
  buildSchema, print, isObjectType, isInterfaceType, isInputObjectType, isEnumType, isScalarType,
  isSpecifiedScalarType,
} = require('graphql');

const realPath = process.argv[2] || path.join(__dirname, '..', '..', '..', 'shared', 'schemas', 'linear.graphql');
const subsetPath = path.join(__dirname, 'linear-schema.graphql');
if (!fs.existsSync(realPath)) {
  console.log('skip: shared schema not found');
  process.exit(77);
}
const real = buildSchema(fs.readFileSync(realPath, 'utf8'), { assumeValidSDL: true });
const subset = buildSchema(fs.readFileSync(subsetPath, 'utf8'));

const problems = [];
const counts = { types: 0, fields: 0, args: 0, inputFields: 0 };
const kindOf = (t) => (isObjectType(t) ? 'type' : isInterfaceType(t) ? 'interface'
  : isInputObjectType(t) ? 'input' : isEnumType(t) ? 'enum' : isScalarType(t) ? 'scalar' : 'union');
const defaultOf = (v) => (v && v.astNode && v.astNode.defaultValue ? print(v.astNode.defaultValue) : '');

// Compares two name-keyed maps of fields, arguments or input fields; `where` prefixes messages.
function sameMembers(where, mine, theirs, what, compareArgs) {
  for (const [name, m] of Object.entries(mine)) {
    const t = theirs[name];
    if (!t) {
      problems.push(`${where}.${name}: no such ${what} in Linear's schema`);
      continue;
    }
    if (String(m.type) !== String(t.type)) problems.push(`${where}.${name}: type ${m.type}, Linear has ${t.type}`);
    if (defaultOf(m) !== defaultOf(t)) {
      problems.push(`${where}.${name}: default "${defaultOf(m)}", Linear has "${defaultOf(t)}"`);
    }
    if ((m.deprecationReason || '') !== (t.deprecationReason || '')) {
      problems.push(`${where}.${name}: deprecation differs from Linear's`);
    }
    if (compareArgs) {
      const mineArgs = Object.fromEntries(m.args.map((a) => [a.name, a]));
      const theirArgs = Object.fromEntries(t.args.map((a) => [a.name, a]));
      counts.args += m.args.length;
      sameMembers(`${where}.${name}`, mineArgs, theirArgs, 'argument', false);
      for (const a of t.args) if (!mineArgs[a.name]) problems.push(`${where}.${name}: argument ${a.name} is missing`);
    }
  }
}

for (const type of Object.values(subset.getTypeMap())) {
  if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
  counts.types++;
  const theirs = real.getType(type.name);
  if (!theirs) {
    problems.push(`${type.name}: no such type in Linear's schema`);
    continue;
  }
  if (kindOf(type) !== kindOf(theirs)) {
    problems.push(`${type.name}: kind ${kindOf(type)} here, ${kindOf(theirs)} in Linear's schema`);
    continue;
  }
  if (isObjectType(type) || isInterfaceType(type)) {
    const realInterfaces = theirs.getInterfaces().map((i) => i.name);
    for (const i of type.getInterfaces()) {
      if (!realInterfaces.includes(i.name)) problems.push(`${type.name}: does not implement ${i.name} in Linear's schema`);
    }
    counts.fields += Object.keys(type.getFields()).length;
    sameMembers(type.name, type.getFields(), theirs.getFields(), 'field', true);
  } else if (isInputObjectType(type)) {
    counts.inputFields += Object.keys(type.getFields()).length;
    sameMembers(type.name, type.getFields(), theirs.getFields(), 'input field', false);
    for (const name of Object.keys(theirs.getFields())) {
      if (!type.getFields()[name]) problems.push(`${type.name}.${name}: input field is missing`);
    }
  } else if (isEnumType(type)) {
    const mine = type.getValues().map((v) => v.name).sort().join(' ');
    const realValues = theirs.getValues().map((v) => v.name).sort().join(' ');
    if (mine !== realValues) problems.push(`${type.name}: values "${mine}", Linear has "${realValues}"`);
  }
}
for (const root of ['getQueryType', 'getMutationType']) {
  const mine = subset[root]();
  const theirs = real[root]();
  if (mine && (!theirs || mine.name !== theirs.name)) problems.push(`schema: root type ${mine.name} is not Linear's`);
}

for (const p of problems) console.log(`linear-schema.graphql: ${p}`);
const summary = `${counts.types} types, ${counts.fields} fields, ${counts.args} arguments, `
  + `${counts.inputFields} input fields`;
if (problems.length) {
  console.log(`linear-schema.graphql is not a subset of Linear's schema (${problems.length} mismatches in ${summary})`);
  process.exit(1);
}
console.log(`linear-schema.graphql is a subset of Linear's schema (${summary} checked)`);
