import request from 'supertest';
import { createBackendPlugin, createServiceRef, coreServices } from '@backplane/plugin-api';
import { startTestBackend } from '../backend/startTestBackend';
import { createServiceMock } from './createServiceMock';

interface GreeterService {
  hello(name: string): string;
  farewell(name: string): Promise<string>;
  readonly language: string;
}

const greeterServiceRef = createServiceRef<GreeterService>({ id: 'example.greeter' });

const greetingPlugin = createBackendPlugin({
  pluginId: 'greeting',
  register(reg) {
    reg.registerInit({
      deps: { greeter: greeterServiceRef, httpRouter: coreServices.httpRouter },
      async init({ greeter, httpRouter }) {
        httpRouter.use((req, res) => res.json({ greeting: greeter.hello('alice') }));
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('createServiceMock', () => {
  describe('with a mock factory, as in @backstage/backend-test-utils', () => {
    const greeterMock = createServiceMock(greeterServiceRef, () => ({
      hello: vi.fn(),
      farewell: vi.fn(async () => 'bye'),
      language: 'en',
    }));

    it('should return the mock functions of the factory, unimplemented unless given', async () => {
      const greeter = greeterMock();
      expect(greeter.hello('alice')).toBeUndefined();
      expect(greeter.hello).toHaveBeenCalledWith('alice');
      await expect(greeter.farewell('alice')).resolves.toBe('bye');
      expect(greeter.language).toBe('en');
    });

    it('should use the partial implementation through the mock functions of the factory', async () => {
      const greeter = greeterMock({ hello: name => `hi ${name}`, language: 'fr' });
      expect(greeter.hello('bob')).toBe('hi bob');
      expect(greeter.hello.mock.calls).toEqual([['bob']]);
      await expect(greeter.farewell('bob')).resolves.toBe('bye');
      expect(greeter.language).toBe('fr');
    });

    it('should call the factory for every mock, so mocks share no calls', () => {
      const first = greeterMock();
      const second = greeterMock();
      first.hello('alice');
      expect(second.hello).not.toHaveBeenCalled();
      expect(first.hello).not.toBe(second.hello);
    });

    it('should turn partial methods the factory left out into mock functions', () => {
      const sparse = createServiceMock(greeterServiceRef, () => ({ hello: vi.fn() }) as any);
      const greeter = sparse({ farewell: async () => 'ciao' });
      void greeter.farewell('carol');
      expect(greeter.farewell).toHaveBeenCalledWith('carol');
    });

    it('should give a factory that provides the mock to a test backend', async () => {
      const greeter = greeterMock({ hello: name => `hello ${name}` });
      const { server } = await startTestBackend({ features: [greetingPlugin, greeter.factory] });
      await request(server).get('/api/greeting').expect(200, { greeting: 'hello alice' });
      expect(greeter.hello).toHaveBeenCalledTimes(1);
      expect(greeter.factory.service.id).toBe('example.greeter');
    });
  });

  describe('with method names', () => {
    it('should still make a mock function of every named method', () => {
      const greeter = createServiceMock<GreeterService>(greeterServiceRef, ['hello', 'farewell'])({
        hello: () => 'hey',
      });
      expect(greeter.hello('dan')).toBe('hey');
      expect(greeter.farewell('dan')).toBeUndefined();
      expect(greeter.farewell).toHaveBeenCalledWith('dan');
    });
  });

  it('should say what it expects when given neither a factory nor method names', () => {
    expect(() => createServiceMock(greeterServiceRef, { hello: vi.fn() } as any)).toThrow(
      "createServiceMock of 'example.greeter': the second argument must be a function returning the mock object, like () => ({ hello: vi.fn() }), or an array of method names; got an object",
    );
  });
});
