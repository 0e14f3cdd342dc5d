import { describeEnginePortContract } from '../../test/contract/engine-port.contract.js';
import { config, testContext } from '../../test/support/deploy-context.js';
import { compileService } from '../compiler/compile-service.js';
import { MemoryEngine } from './memory-engine.js';

const IMAGE = 'swiftor-test/httpd:latest';
let counter = 0;

describeEnginePortContract('in-memory', async () => ({
  engine: new MemoryEngine({
    images: [IMAGE],
    logsFor: (spec) => [`hello from ${spec.Name.slice(3)}`],
  }),
  compile: (vmId, change) =>
    compileService(
      config({
        image_prefix: '',
        image_name: 'swiftor-test/httpd',
        image_tag: 'latest',
        default_env: Object.fromEntries((change?.env ?? []).map((e) => e.split('='))),
      }),
      testContext({ vmId }, { ingress: 'ports' }),
    ),
  prepare: async () => {},
  presentImage: IMAGE,
  missingImage: 'swiftor-test/nowhere:latest',
  newVmId: () => `mem${(++counter).toString().padStart(9, '0')}`,
  timeoutMs: 1000,
}));
