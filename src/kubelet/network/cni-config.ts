// The CNI network configuration lists this node uses, built from its pod range. Pure data.

/** Spec version of our configuration lists; Debian's plugins 1.1.1 speak 0.1.0 through 1.0.0. */
export const CNI_VERSION = '1.0.0';

export interface CniPluginConfig {
  type: string;
  capabilities?: Record<string, boolean>;
  [field: string]: unknown;
}

export interface CniNetworkConfigList {
  cniVersion: string;
  name: string;
  plugins: CniPluginConfig[];
}

export interface PodNetworkConfigInput {
  networkName: string;
  bridgeName: string;
  podCIDR: string;
  /** host-local keeps its leases in <dataDir>/<networkName>. */
  ipamDataDir: string;
}

/** bridge (with host-local IPAM) then portmap for hostPorts; attached as eth0. */
export function podNetworkConfig(input: PodNetworkConfigInput): CniNetworkConfigList {
  return {
    cniVersion: CNI_VERSION,
    name: input.networkName,
    plugins: [
      {
        type: 'bridge',
        bridge: input.bridgeName,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: input.podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: input.ipamDataDir,
        },
      },
      // snat marks hairpin and 127.0.0.1-sourced connections for masquerade, so a pod can reach its own
      // hostPort through the node and host processes can use 127.0.0.1:<hostPort>.
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  };
}
