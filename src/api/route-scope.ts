import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

/**
 * A scope whose handlers see `request.params`, `.query` and `.body` typed from their TypeBox
 * schemas (no casts). Types only: `withTypeProvider` returns the same instance, so the validator
 * compiler (plugins/validator.ts: our ajv, coercion for params and query) and the serializer
 * compiler (plugins/compile-on-first-use.ts) stay the ones that run.
 */
export type RouteScope = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export const typed = (scope: FastifyInstance): RouteScope => scope.withTypeProvider<TypeBoxTypeProvider>();
