import { mockCredentials } from '../credentials/mockCredentials';
import { mockServices } from '../services/mockServices';
import { actionsRegistryServiceMock } from './actionsRegistryServiceMock';
import type { ActionsRegistryActionOptions } from '@backplane/plugin-api/alpha';

const greet: ActionsRegistryActionOptions = {
  name: 'greet',
  title: 'Greet',
  description: 'Says hello',
  attributes: { readOnly: true },
  schema: {
    input: z => z.object({ name: z.string() }),
    output: z => z.object({ greeting: z.string() }),
  },
  action: async ({ input, credentials }) => ({
    output: {
      greeting: `hello ${input.name} (${(credentials.principal as { type: string }).type})`,
    },
  }),
};

describe('MockActionsRegistry', () => {
  it('should invoke a registered action under test:<name>, without credentials by default', async () => {
    const registry = actionsRegistryServiceMock();
    registry.register(greet);
    expect([...registry.actions.keys()]).toEqual(['test:greet']);
    await expect(registry.invoke({ id: 'test:greet', input: { name: 'alice' } })).resolves.toEqual({
      output: { greeting: 'hello alice (none)' },
    });
    await expect(
      registry.invoke({
        id: 'test:greet',
        input: { name: 'bob' },
        credentials: mockCredentials.user(),
      }),
    ).resolves.toEqual({ output: { greeting: 'hello bob (user)' } });
  });

  it('should list the actions with JSON schemas and attributes', async () => {
    const registry = actionsRegistryServiceMock();
    registry.register(greet);
    const { actions } = await registry.list();
    expect(actions).toEqual([
      expect.objectContaining({
        id: 'test:greet',
        pluginId: 'test',
        name: 'greet',
        title: 'Greet',
        attributes: { readOnly: true, destructive: false, idempotent: false },
      }),
    ]);
    expect(actions[0].schema.input).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string' } },
    });
  });

  it('should reject unknown actions, bad input and duplicate names', async () => {
    const registry = actionsRegistryServiceMock();
    await expect(registry.invoke({ id: 'test:greet' })).rejects.toThrow(
      "Action 'test:greet' is not registered; registered actions: none",
    );
    registry.register(greet);
    await expect(registry.invoke({ id: 'test:greet', input: { name: 1 } })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining("Invalid input to action 'test:greet'"),
    });
    expect(() => registry.register(greet)).toThrow("Action 'test:greet' is already registered");
  });

  it('should hand the given logger to actions', async () => {
    const logger = mockServices.logger.mock();
    const registry = actionsRegistryServiceMock({ logger });
    registry.register({
      ...greet,
      action: async ({ input, logger: actionLogger }) => {
        actionLogger.info('greeting', { name: input.name });
        return { output: { greeting: 'hi' } };
      },
    });
    await registry.invoke({ id: 'test:greet', input: { name: 'carol' } });
    expect(logger.info).toHaveBeenCalledWith('greeting', { name: 'carol' });
  });

  it('should offer a mock whose register records calls, and the real factory', () => {
    const mock = actionsRegistryServiceMock.mock();
    mock.register(greet);
    expect(mock.register).toHaveBeenCalledWith(greet);
    expect(mock.factory.service.id).toBe('alpha.core.actionsRegistry');
    expect(actionsRegistryServiceMock.factory().service.id).toBe('alpha.core.actionsRegistry');
  });
});
