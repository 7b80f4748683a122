// Per-namespace identity objects: the `default` ServiceAccount and the kube-root-ca.crt ConfigMap.
import { ServiceAccountsController } from './serviceaccounts-controller.ts';
import { RootCACertPublisher, type RootCACertPublisherOptions } from './root-ca-cert-publisher.ts';

export { ServiceAccountsController, DEFAULT_SERVICE_ACCOUNT } from './serviceaccounts-controller.ts';
export {
  RootCACertPublisher, ROOT_CA_CONFIG_MAP, DESCRIPTION_ANNOTATION, ROOT_CA_DESCRIPTION, type RootCACertPublisherOptions,
} from './root-ca-cert-publisher.ts';

export const newServiceAccountsController = (): ServiceAccountsController => new ServiceAccountsController();
export const newRootCACertPublisher = (opts: RootCACertPublisherOptions): RootCACertPublisher => new RootCACertPublisher(opts);
