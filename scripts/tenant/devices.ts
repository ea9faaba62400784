/**
 * Synthetic devices in the Microsoft Graph shape: the v1.0 fields plus the beta-only fields that
 * device rules read (deviceOwnership, deviceCategory, enrollmentProfileName, isRooted,
 * managementType). Each device is drawn from its own PRNG stream (seed, "device", index).
 */
import {
  ANDROID_MODELS, ANDROID_VERSIONS, AUTOPILOT_PROFILE, CONFIGMGR_APP_ID, INTUNE_APP_ID, IOS_ADE_PROFILE, IOS_VERSIONS, IPAD_MODELS, IPHONE_MODELS,
  KIOSK_MODELS, KIOSK_PROFILE, MAC_ADE_PROFILE, MAC_MODELS, MAC_VERSIONS, SITES, TENANT, WINDOWS_MODELS, WINDOWS_VERSIONS, type DeviceModel,
} from './data';
import { Rng, WeightedTable } from './random';
import { extensionAttributes, isoDate } from './users';

export interface DeviceDraft {
  readonly index: number;
  readonly id: string;
  readonly device: Record<string, unknown>;
  /** In the static lab group. */
  readonly lab: boolean;
}

type Kind = 'windows' | 'cloudPc' | 'iphone' | 'ipad' | 'android' | 'kiosk' | 'mac';
const KINDS: readonly (readonly [Kind, number])[] = [
  ['windows', 55], ['cloudPc', 4], ['iphone', 13], ['ipad', 3], ['android', 12], ['kiosk', 5], ['mac', 8],
];

const DAY = 86_400_000;
const TAKEN_AT_MS = Date.parse(TENANT.takenAt);
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const model = (rng: Rng, list: readonly DeviceModel[]): DeviceModel => rng.weighted(list, (m) => m.weight);
const siteTable = new WeightedTable(SITES, (s) => s.weight);

export class DeviceFactory {
  private rootedYet = false;
  constructor(private readonly seed: number) {}

  make(index: number): DeviceDraft {
    const rng = new Rng(this.seed, 'device', index);
    const id = rng.uuid();
    const deviceId = rng.uuid();
    const kind = rng.pickWeighted(KINDS);
    const site = siteTable.draw(rng);
    const registered = TAKEN_AT_MS - rng.between(5, 1400) * DAY - rng.int(DAY);
    const lastSignIn = Math.max(registered, TAKEN_AT_MS - rng.between(0, 45) * DAY - rng.int(DAY));

    let displayName: string;
    let os: string;
    let osVersion: string;
    let trustType: string | null;
    let m: DeviceModel;
    let mdm: string | null = null;
    let ownership: 'company' | 'personal' | 'unknown' = 'company';
    let profile: string | null = null;
    let category: string | null = null;
    let managementType: string | null = null;
    let profileType = 'RegisteredDevice';
    let physicalIds: string[] = [];
    const systemLabels: string[] = [];
    const ext: Record<number, string> = {};
    let synced: true | null = null;
    let rooted = false;
    let lab = false;

    switch (kind) {
      case 'windows': {
        m = model(rng, WINDOWS_MODELS);
        os = 'Windows';
        osVersion = rng.pickWeighted(WINDOWS_VERSIONS);
        const r = rng.next();
        trustType = r < 0.55 ? 'AzureAd' : r < 0.9 ? 'ServerAd' : 'Workplace';
        if (trustType === 'Workplace') {
          ownership = 'personal';
          displayName = `DESKTOP-${rng.chars(7, UPPER)}`;
          if (rng.chance(0.5)) { mdm = INTUNE_APP_ID; managementType = 'mdm'; }
        } else {
          const autopilot = trustType === 'AzureAd' ? rng.chance(0.85) : rng.chance(0.3);
          displayName = autopilot ? `CON-${rng.chars(7, UPPER)}` : `WKS-${site.code}-${String(rng.between(1, 9999)).padStart(4, '0')}`;
          if (trustType === 'ServerAd') synced = true;
          const mr = rng.next();
          if (trustType === 'AzureAd' || mr < 0.4) { mdm = INTUNE_APP_ID; managementType = 'mdm'; }
          else if (mr < 0.8) { mdm = CONFIGMGR_APP_ID; managementType = 'configurationManagerClientMdm'; }
          else managementType = 'configurationManagerClient';
          if (autopilot) {
            physicalIds = [
              `[USER-GID]:${rng.uuid()}:${rng.between(1e15, 9e15)}`,
              `[GID]:g:${rng.between(1e15, 9e15)}`,
              `[USER-HWID]:${rng.uuid()}:${rng.between(1e15, 9e15)}`,
              `[HWID]:h:${rng.between(1e15, 9e15)}`,
              `[ZTDId]:${rng.uuid()}`,
            ];
            if (rng.chance(0.6)) physicalIds.push(`[OrderID]:CON-PO-${rng.between(2022, 2026)}-${String(rng.between(1, 400)).padStart(4, '0')}`);
            if (rng.chance(0.2)) physicalIds.push(`[PurchaseOrderId]:${rng.between(4500000000, 4599999999)}`);
            profile = AUTOPILOT_PROFILE;
          } else {
            physicalIds = [`[GID]:g:${rng.between(1e15, 9e15)}`, `[HWID]:h:${rng.between(1e15, 9e15)}`];
          }
          category = 'Corporate Laptop';
          ext[2] = `AT-${String(rng.between(1, 99999)).padStart(5, '0')}`;
          if (rng.chance(0.12)) {
            lab = true;
            m = { manufacturer: 'Microsoft Corporation', model: 'Virtual Machine', weight: 1 };
            displayName = `LAB-${site.code}-VM${String(rng.between(1, 99)).padStart(2, '0')}`;
            ext[1] = 'Lab';
          }
        }
        break;
      }
      case 'cloudPc': {
        m = { manufacturer: 'Microsoft Corporation', model: 'Cloud PC Enterprise 2vCPU/8GB/128GB', weight: 1 };
        os = 'Windows';
        osVersion = rng.pickWeighted(WINDOWS_VERSIONS.slice(1));
        trustType = 'AzureAd';
        displayName = `CPC-${rng.chars(5, 'abcdefghijklmnopqrstuvwxyz')}-${rng.chars(5, UPPER)}`;
        mdm = INTUNE_APP_ID;
        managementType = 'mdm';
        physicalIds = [`[GID]:g:${rng.between(1e15, 9e15)}`, `[HWID]:h:${rng.between(1e15, 9e15)}`];
        systemLabels.push('M365Managed');
        category = 'Cloud PC';
        break;
      }
      case 'iphone':
      case 'ipad': {
        const ipad = kind === 'ipad';
        m = model(rng, ipad ? IPAD_MODELS : IPHONE_MODELS);
        os = ipad ? 'IPad' : 'iOS';
        osVersion = rng.pickWeighted(IOS_VERSIONS);
        trustType = 'Workplace';
        const corporate = rng.chance(0.6);
        ownership = corporate ? 'company' : 'personal';
        displayName = corporate ? `${ipad ? 'iPad' : 'iPhone'}_${rng.chars(6, UPPER)}` : `${ipad ? 'iPad' : 'iPhone'}`;
        if (corporate || rng.chance(0.7)) { mdm = INTUNE_APP_ID; managementType = 'mdm'; }
        if (corporate) { profile = IOS_ADE_PROFILE; category = 'Corporate Phone'; } else category = 'BYOD';
        physicalIds = [`[USER-GID]:${rng.uuid()}:${rng.between(1e15, 9e15)}`, `[GID]:g:${rng.between(1e15, 9e15)}`];
        break;
      }
      case 'android': {
        m = model(rng, ANDROID_MODELS);
        osVersion = rng.pickWeighted(ANDROID_VERSIONS);
        trustType = 'Workplace';
        const corporate = rng.chance(0.45);
        ownership = corporate ? 'company' : 'personal';
        os = corporate ? 'AndroidEnterprise' : rng.chance(0.8) ? 'AndroidForWork' : 'Android';
        displayName = `${m.model}_${rng.chars(4, UPPER)}`;
        if (os !== 'Android') { mdm = INTUNE_APP_ID; managementType = 'mdm'; }
        category = corporate ? 'Corporate Phone' : 'BYOD';
        // One personal phone is rooted, so that isRooted means something in the sample.
        if (!corporate && !this.rootedYet) { rooted = true; this.rootedYet = true; }
        physicalIds = [`[USER-GID]:${rng.uuid()}:${rng.between(1e15, 9e15)}`, `[GID]:g:${rng.between(1e15, 9e15)}`];
        break;
      }
      case 'kiosk': {
        m = model(rng, KIOSK_MODELS);
        os = 'AndroidEnterprise';
        osVersion = rng.pickWeighted(ANDROID_VERSIONS);
        trustType = 'Workplace';
        displayName = `KIOSK-${site.code}-${String(rng.between(1, 999)).padStart(3, '0')}`;
        mdm = INTUNE_APP_ID;
        managementType = 'mdm';
        // Some kiosks were enrolled before the dedicated profile existed and are only categorised.
        if (rng.chance(0.75)) profile = KIOSK_PROFILE;
        category = 'Kiosk';
        profileType = 'Shared';
        ext[1] = 'Kiosk';
        physicalIds = [`[GID]:g:${rng.between(1e15, 9e15)}`];
        break;
      }
      case 'mac': {
        m = model(rng, MAC_MODELS);
        os = 'MacMDM';
        osVersion = rng.pickWeighted(MAC_VERSIONS);
        trustType = 'Workplace';
        displayName = `${m.model.startsWith('MacBook Pro') ? 'MBP' : 'MBA'}-${rng.chars(6, UPPER)}`;
        mdm = INTUNE_APP_ID;
        managementType = 'mdm';
        profile = MAC_ADE_PROFILE;
        category = 'Corporate Laptop';
        physicalIds = [`[GID]:g:${rng.between(1e15, 9e15)}`, `[HWID]:h:${rng.between(1e15, 9e15)}`];
        break;
      }
    }

    const managed = mdm !== null;
    const device: Record<string, unknown> = {
      id,
      accountEnabled: !rng.chance(0.03),
      deviceId,
      displayName,
      operatingSystem: os,
      operatingSystemVersion: osVersion,
      trustType,
      manufacturer: m.manufacturer,
      model: m.model,
      mdmAppId: mdm,
      isCompliant: managed ? !rng.chance(0.08) : null,
      isManaged: managed,
      onPremisesSyncEnabled: synced,
      physicalIds,
      profileType,
      systemLabels,
      extensionAttributes: extensionAttributes(ext),
      registrationDateTime: isoDate(registered),
      approximateLastSignInDateTime: isoDate(lastSignIn),
      deviceOwnership: ownership,
      deviceCategory: category,
      enrollmentProfileName: profile,
      isRooted: rooted,
      managementType,
    };
    return { index, id, device, lab };
  }
}
