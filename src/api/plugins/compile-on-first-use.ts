import type { FastifyServerOptions } from 'fastify';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

/**
 * Route schemas compiled when a route is first used instead of all at start: ajv validators and
 * fast-json-stringify serializers for ~35 routes are a good share of start-up time, and a laptop
 * service rarely calls most routes. Every route is exercised by the test suite, so a schema that
 * does not compile still fails there, not in front of a user.
 */
export function compileOnFirstUse<Fn extends (data: unknown) => unknown>(compile: () => Fn): Fn & { errors?: unknown } {
  let compiled: (Fn & { errors?: unknown }) | undefined;
  const wrapper = ((data: unknown) => {
    compiled ??= compile();
    const result = compiled(data);
    wrapper.errors = compiled.errors; // Fastify reads a validator's errors from the function it was given
    return result;
  }) as Fn & { errors?: unknown };
  return wrapper;
}

/** Fastify's own serializer factory, each route's serializer compiled on first use. */
export function serializersCompiledOnFirstUse(): NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer'] {
  const factory = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options as Parameters<typeof factory>[1]);
    return (route) => compileOnFirstUse(() => compile(route as Parameters<typeof compile>[0]));
  };
}
