import { isUuid } from '@parley/common';
import { Message } from './message.type';

interface MessageRepresentation {
  id: string;
  content?: unknown;
  originalLanguage?: unknown;
  version?: unknown;
  deletedAt?: unknown;
}

/**
 * Entity resolution for the fields this subgraph adds to Message. Only the router (signed) reaches
 * `_entities`, and it only does so for a message the messages subgraph has just returned to this
 * viewer after its own membership check, so access is not checked again here (as in the
 * conversations subgraph's reference resolver). The representation carries the `@requires` fields.
 */
export const messageReferenceResolver = {
  Message: {
    __resolveReference(reference: MessageRepresentation): Message | null {
      if (!isUuid(reference.id)) return null;
      const { content, originalLanguage, version, deletedAt } = reference;
      // Every field here @requires the version; `text` also the content and original language, which
      // the router leaves out when only `translations` is selected (MessageFieldsResolver checks them).
      if (typeof version !== 'number' || !Number.isInteger(version)) {
        throw new Error('Message representation lacks its version');
      }
      return Object.assign(new Message(), {
        id: reference.id,
        content: typeof content === 'string' ? content : undefined,
        originalLanguage: typeof originalLanguage === 'string' ? originalLanguage : undefined,
        version,
        deletedAt: typeof deletedAt === 'string' || typeof deletedAt === 'number' ? new Date(deletedAt) : null,
      });
    },
  },
};
