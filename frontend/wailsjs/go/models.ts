export namespace app {
	
	export class BackupStatus {
	    folder: string;
	    automatic: boolean;
	    folderProblem?: core.UserError;
	    backups: backup.Entry[];
	    lastError?: core.UserError;
	    lastErrorAt?: string;
	    daily: number;
	    weekly: number;
	    monthly: number;
	
	    static createFrom(source: any = {}) {
	        return new BackupStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.automatic = source["automatic"];
	        this.folderProblem = this.convertValues(source["folderProblem"], core.UserError);
	        this.backups = this.convertValues(source["backups"], backup.Entry);
	        this.lastError = this.convertValues(source["lastError"], core.UserError);
	        this.lastErrorAt = source["lastErrorAt"];
	        this.daily = source["daily"];
	        this.weekly = source["weekly"];
	        this.monthly = source["monthly"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Choices {
	    tags: string[];
	    owners: string[];
	    segments: crm.Segment[];
	    fields: string[];
	    kinds: string[];
	    relationships: string[];
	
	    static createFrom(source: any = {}) {
	        return new Choices(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tags = source["tags"];
	        this.owners = source["owners"];
	        this.segments = this.convertValues(source["segments"], crm.Segment);
	        this.fields = source["fields"];
	        this.kinds = source["kinds"];
	        this.relationships = source["relationships"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportPreview {
	    token: string;
	    name: string;
	    kind: string;
	    encoding: string;
	    delimiter: string;
	    headers: string[];
	    mapping: string[];
	    preview: string[][];
	    rows: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.token = source["token"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.encoding = source["encoding"];
	        this.delimiter = source["delimiter"];
	        this.headers = source["headers"];
	        this.mapping = source["mapping"];
	        this.preview = source["preview"];
	        this.rows = source["rows"];
	    }
	}
	export class MailStatus {
	    syncing: boolean;
	    lastSync: string;
	    errors: Record<number, core.UserError>;
	    outbox: number;
	
	    static createFrom(source: any = {}) {
	        return new MailStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.syncing = source["syncing"];
	        this.lastSync = source["lastSync"];
	        this.errors = this.convertValues(source["errors"], core.UserError, true);
	        this.outbox = source["outbox"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PassphraseEstimate {
	    score: number;
	    acceptable: boolean;
	    warning?: string;
	    suggestion?: string;
	
	    static createFrom(source: any = {}) {
	        return new PassphraseEstimate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.score = source["score"];
	        this.acceptable = source["acceptable"];
	        this.warning = source["warning"];
	        this.suggestion = source["suggestion"];
	    }
	}
	export class Preferences {
	    language: string;
	    languages: string[];
	
	    static createFrom(source: any = {}) {
	        return new Preferences(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.language = source["language"];
	        this.languages = source["languages"];
	    }
	}
	export class RestoreResult {
	    created: string;
	    replaced: string;
	    mustChangePassphrase: boolean;
	    reapplied?: rights.Reapplied;
	
	    static createFrom(source: any = {}) {
	        return new RestoreResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.created = source["created"];
	        this.replaced = source["replaced"];
	        this.mustChangePassphrase = source["mustChangePassphrase"];
	        this.reapplied = this.convertValues(source["reapplied"], rights.Reapplied);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class VaultSettings {
	    autoLockMinutes: number;
	    minAutoLock: number;
	    maxAutoLock: number;
	    mailMaxMessageMB: number;
	    minMailMaxMB: number;
	    maxMailMaxMB: number;
	
	    static createFrom(source: any = {}) {
	        return new VaultSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.autoLockMinutes = source["autoLockMinutes"];
	        this.minAutoLock = source["minAutoLock"];
	        this.maxAutoLock = source["maxAutoLock"];
	        this.mailMaxMessageMB = source["mailMaxMessageMB"];
	        this.minMailMaxMB = source["minMailMaxMB"];
	        this.maxMailMaxMB = source["maxMailMaxMB"];
	    }
	}
	export class VaultStatus {
	    state: string;
	    problem?: core.UserError;
	    mustChangePassphrase: boolean;
	    dataDir: string;
	    version: string;
	    minPassphraseLength: number;
	    rollback?: vault.Rollback;
	    erasureRecord?: string;
	    notRecorded?: core.UserError;
	
	    static createFrom(source: any = {}) {
	        return new VaultStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.problem = this.convertValues(source["problem"], core.UserError);
	        this.mustChangePassphrase = source["mustChangePassphrase"];
	        this.dataDir = source["dataDir"];
	        this.version = source["version"];
	        this.minPassphraseLength = source["minPassphraseLength"];
	        this.rollback = this.convertValues(source["rollback"], vault.Rollback);
	        this.erasureRecord = source["erasureRecord"];
	        this.notRecorded = this.convertValues(source["notRecorded"], core.UserError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace backup {
	
	export class Replaced {
	    name: string;
	    path: string;
	    // Go type: time
	    time: any;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new Replaced(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.path = source["path"];
	        this.time = this.convertValues(source["time"], null);
	        this.size = source["size"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class HeldBackup {
	    name: string;
	    // Go type: time
	    time: any;
	    automatic: boolean;
	    // Go type: time
	    expires: any;
	
	    static createFrom(source: any = {}) {
	        return new HeldBackup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.time = this.convertValues(source["time"], null);
	        this.automatic = source["automatic"];
	        this.expires = this.convertValues(source["expires"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Copies {
	    folder: string;
	    folderUnavailable: boolean;
	    backups: HeldBackup[];
	    // Go type: time
	    lastExpiry: any;
	    kept: number;
	    replaced: Replaced[];
	
	    static createFrom(source: any = {}) {
	        return new Copies(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.folder = source["folder"];
	        this.folderUnavailable = source["folderUnavailable"];
	        this.backups = this.convertValues(source["backups"], HeldBackup);
	        this.lastExpiry = this.convertValues(source["lastExpiry"], null);
	        this.kept = source["kept"];
	        this.replaced = this.convertValues(source["replaced"], Replaced);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Entry {
	    path: string;
	    name: string;
	    // Go type: time
	    time: any;
	    size: number;
	    rotated: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.time = this.convertValues(source["time"], null);
	        this.size = source["size"];
	        this.rotated = source["rotated"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Result {
	    backup: vault.BackupInfo;
	    removed: string[];
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.backup = this.convertValues(source["backup"], vault.BackupInfo);
	        this.removed = source["removed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace breach {
	
	export class Complement {
	    id: number;
	    sentAt: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new Complement(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.sentAt = source["sentAt"];
	        this.summary = source["summary"];
	    }
	}
	export class Count {
	    category: string;
	    people: number;
	    records: number;
	    kinds?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Count(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.category = source["category"];
	        this.people = source["people"];
	        this.records = source["records"];
	        this.kinds = source["kinds"];
	    }
	}
	export class Counts {
	    people: number;
	    contacts: number;
	    categories: Count[];
	    countedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Counts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.people = source["people"];
	        this.contacts = source["contacts"];
	        this.categories = this.convertValues(source["categories"], Count);
	        this.countedAt = source["countedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Scope {
	    kind: string;
	    segmentId?: number;
	    segmentName?: string;
	    filter?: crm.Filter;
	    tag?: string;
	    accountId?: number;
	    accountName?: string;
	    categories: string[];
	
	    static createFrom(source: any = {}) {
	        return new Scope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.segmentId = source["segmentId"];
	        this.segmentName = source["segmentName"];
	        this.filter = this.convertValues(source["filter"], crm.Filter);
	        this.tag = source["tag"];
	        this.accountId = source["accountId"];
	        this.accountName = source["accountName"];
	        this.categories = source["categories"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Breach {
	    id: number;
	    reference: string;
	    occurredAt: string;
	    discoveredAt: string;
	    nature: string[];
	    description: string;
	    scope: Scope;
	    counts: Counts;
	    consequences: string;
	    measuresTaken: string;
	    measuresPlanned: string;
	    risk: string;
	    riskNote: string;
	    notifiedAt: string;
	    noticeReference: string;
	    lateReason: string;
	    noNoticeReason: string;
	    peopleToldAt: string;
	    peopleNotToldReason: string;
	    complements: Complement[];
	    createdAt: string;
	    updatedAt: string;
	    deadline: string;
	    clock: string;
	    hoursLeft: number;
	    late: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Breach(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.reference = source["reference"];
	        this.occurredAt = source["occurredAt"];
	        this.discoveredAt = source["discoveredAt"];
	        this.nature = source["nature"];
	        this.description = source["description"];
	        this.scope = this.convertValues(source["scope"], Scope);
	        this.counts = this.convertValues(source["counts"], Counts);
	        this.consequences = source["consequences"];
	        this.measuresTaken = source["measuresTaken"];
	        this.measuresPlanned = source["measuresPlanned"];
	        this.risk = source["risk"];
	        this.riskNote = source["riskNote"];
	        this.notifiedAt = source["notifiedAt"];
	        this.noticeReference = source["noticeReference"];
	        this.lateReason = source["lateReason"];
	        this.noNoticeReason = source["noNoticeReason"];
	        this.peopleToldAt = source["peopleToldAt"];
	        this.peopleNotToldReason = source["peopleNotToldReason"];
	        this.complements = this.convertValues(source["complements"], Complement);
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.deadline = source["deadline"];
	        this.clock = source["clock"];
	        this.hoursLeft = source["hoursLeft"];
	        this.late = source["late"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Clock {
	    id: number;
	    reference: string;
	    summary: string;
	    risk: string;
	    discoveredAt: string;
	    deadline: string;
	    hoursLeft: number;
	    late: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Clock(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.reference = source["reference"];
	        this.summary = source["summary"];
	        this.risk = source["risk"];
	        this.discoveredAt = source["discoveredAt"];
	        this.deadline = source["deadline"];
	        this.hoursLeft = source["hoursLeft"];
	        this.late = source["late"];
	    }
	}
	
	
	
	export class Letter {
	    contactId: number;
	    name: string;
	    language: string;
	    to: string;
	    address: string;
	    subject: string;
	    body: string;
	
	    static createFrom(source: any = {}) {
	        return new Letter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.language = source["language"];
	        this.to = source["to"];
	        this.address = source["address"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	    }
	}
	export class Section {
	    key: string;
	    title: string;
	    lines: string[];
	
	    static createFrom(source: any = {}) {
	        return new Section(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.title = source["title"];
	        this.lines = source["lines"];
	    }
	}
	export class Notification {
	    language: string;
	    subject: string;
	    sections: Section[];
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Notification(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.language = source["language"];
	        this.subject = source["subject"];
	        this.sections = this.convertValues(source["sections"], Section);
	        this.text = source["text"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace core {
	
	export class Chains {
	    ledger: privacy.ChainStatus;
	    audit: privacy.ChainStatus;
	
	    static createFrom(source: any = {}) {
	        return new Chains(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ledger = this.convertValues(source["ledger"], privacy.ChainStatus);
	        this.audit = this.convertValues(source["audit"], privacy.ChainStatus);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContactConsents {
	    current: privacy.State[];
	    history: privacy.Entry[];
	
	    static createFrom(source: any = {}) {
	        return new ContactConsents(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.current = this.convertValues(source["current"], privacy.State);
	        this.history = this.convertValues(source["history"], privacy.Entry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Dashboard {
	    purposes: privacy.Purpose[];
	    granted: Record<string, number>;
	    toRenew: number;
	    chains: Chains;
	    requests: privacy.Deadlines;
	
	    static createFrom(source: any = {}) {
	        return new Dashboard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purposes = this.convertValues(source["purposes"], privacy.Purpose);
	        this.granted = source["granted"];
	        this.toRenew = source["toRenew"];
	        this.chains = this.convertValues(source["chains"], Chains);
	        this.requests = this.convertValues(source["requests"], privacy.Deadlines);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SubjectExport {
	    path: string;
	    files: number;
	    messages: number;
	    documents: number;
	
	    static createFrom(source: any = {}) {
	        return new SubjectExport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.files = source["files"];
	        this.messages = source["messages"];
	        this.documents = source["documents"];
	    }
	}
	export class UserError {
	    key: string;
	    params?: Record<string, any>;
	    then?: UserError;
	
	    static createFrom(source: any = {}) {
	        return new UserError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.params = source["params"];
	        this.then = this.convertValues(source["then"], UserError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace crm {
	
	export class Activity {
	    id: number;
	    contactId: number;
	    companyId: number;
	    kind: string;
	    title: string;
	    body: string;
	    occurredAt: string;
	    dueOn: string;
	    remindAt: string;
	    doneAt: string;
	    contactName: string;
	    companyName: string;
	
	    static createFrom(source: any = {}) {
	        return new Activity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.contactId = source["contactId"];
	        this.companyId = source["companyId"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.occurredAt = source["occurredAt"];
	        this.dueOn = source["dueOn"];
	        this.remindAt = source["remindAt"];
	        this.doneAt = source["doneAt"];
	        this.contactName = source["contactName"];
	        this.companyName = source["companyName"];
	    }
	}
	export class Address {
	    label: string;
	    street: string;
	    postalCode: string;
	    city: string;
	    region: string;
	    country: string;
	
	    static createFrom(source: any = {}) {
	        return new Address(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.region = source["region"];
	        this.country = source["country"];
	    }
	}
	export class Archive {
	    reason: string;
	    since: string;
	
	    static createFrom(source: any = {}) {
	        return new Archive(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reason = source["reason"];
	        this.since = source["since"];
	    }
	}
	export class Person {
	    contactId: number;
	    name: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.role = source["role"];
	    }
	}
	export class Company {
	    id: number;
	    name: string;
	    siren: string;
	    siret: string;
	    vatNumber: string;
	    website: string;
	    sector: string;
	    notes: string;
	    owner: string;
	    addresses: Address[];
	    tags: string[];
	    people: Person[];
	    createdAt: string;
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Company(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.siren = source["siren"];
	        this.siret = source["siret"];
	        this.vatNumber = source["vatNumber"];
	        this.website = source["website"];
	        this.sector = source["sector"];
	        this.notes = source["notes"];
	        this.owner = source["owner"];
	        this.addresses = this.convertValues(source["addresses"], Address);
	        this.tags = source["tags"];
	        this.people = this.convertValues(source["people"], Person);
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CompanyLink {
	    companyId: number;
	    companyName: string;
	    role: string;
	
	    static createFrom(source: any = {}) {
	        return new CompanyLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.companyId = source["companyId"];
	        this.companyName = source["companyName"];
	        this.role = source["role"];
	    }
	}
	export class CompanyRow {
	    id: number;
	    name: string;
	    city: string;
	    sector: string;
	    people: number;
	
	    static createFrom(source: any = {}) {
	        return new CompanyRow(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.city = source["city"];
	        this.sector = source["sector"];
	        this.people = source["people"];
	    }
	}
	export class CompanyPage {
	    total: number;
	    rows: CompanyRow[];
	
	    static createFrom(source: any = {}) {
	        return new CompanyPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.rows = this.convertValues(source["rows"], CompanyRow);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Restriction {
	    reason: string;
	    since: string;
	    until: string;
	
	    static createFrom(source: any = {}) {
	        return new Restriction(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reason = source["reason"];
	        this.since = source["since"];
	        this.until = source["until"];
	    }
	}
	export class FieldValue {
	    fieldId: number;
	    name: string;
	    value: string;
	    sensitive: boolean;
	    hidden: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FieldValue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.fieldId = source["fieldId"];
	        this.name = source["name"];
	        this.value = source["value"];
	        this.sensitive = source["sensitive"];
	        this.hidden = source["hidden"];
	    }
	}
	export class Phone {
	    number: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Phone(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.number = source["number"];
	        this.label = source["label"];
	    }
	}
	export class Email {
	    address: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Email(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.address = source["address"];
	        this.label = source["label"];
	    }
	}
	export class Contact {
	    id: number;
	    givenName: string;
	    familyName: string;
	    namePrefix: string;
	    nameSuffix: string;
	    jobTitle: string;
	    website: string;
	    birthday: string;
	    language: string;
	    notes: string;
	    owner: string;
	    relationships: string[];
	    emails: Email[];
	    phones: Phone[];
	    addresses: Address[];
	    companies: CompanyLink[];
	    tags: string[];
	    fields: FieldValue[];
	    source: string;
	    lastInboundAt: string;
	    createdAt: string;
	    updatedAt: string;
	    deletedAt: string;
	    restriction?: Restriction;
	    archive?: Archive;
	
	    static createFrom(source: any = {}) {
	        return new Contact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.givenName = source["givenName"];
	        this.familyName = source["familyName"];
	        this.namePrefix = source["namePrefix"];
	        this.nameSuffix = source["nameSuffix"];
	        this.jobTitle = source["jobTitle"];
	        this.website = source["website"];
	        this.birthday = source["birthday"];
	        this.language = source["language"];
	        this.notes = source["notes"];
	        this.owner = source["owner"];
	        this.relationships = source["relationships"];
	        this.emails = this.convertValues(source["emails"], Email);
	        this.phones = this.convertValues(source["phones"], Phone);
	        this.addresses = this.convertValues(source["addresses"], Address);
	        this.companies = this.convertValues(source["companies"], CompanyLink);
	        this.tags = source["tags"];
	        this.fields = this.convertValues(source["fields"], FieldValue);
	        this.source = source["source"];
	        this.lastInboundAt = source["lastInboundAt"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.deletedAt = source["deletedAt"];
	        this.restriction = this.convertValues(source["restriction"], Restriction);
	        this.archive = this.convertValues(source["archive"], Archive);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CustomField {
	    id: number;
	    name: string;
	    sensitive: boolean;
	    category: string;
	    condition: string;
	
	    static createFrom(source: any = {}) {
	        return new CustomField(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.sensitive = source["sensitive"];
	        this.category = source["category"];
	        this.condition = source["condition"];
	    }
	}
	export class DemoSummary {
	    contacts: number;
	    companies: number;
	    activities: number;
	
	    static createFrom(source: any = {}) {
	        return new DemoSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contacts = source["contacts"];
	        this.companies = source["companies"];
	        this.activities = source["activities"];
	    }
	}
	export class Row {
	    id: number;
	    name: string;
	    email: string;
	    phone: string;
	    company: string;
	    relationships: string[];
	    owner: string;
	    lastInboundAt: string;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.company = source["company"];
	        this.relationships = source["relationships"];
	        this.owner = source["owner"];
	        this.lastInboundAt = source["lastInboundAt"];
	    }
	}
	export class DuplicatePair {
	    a: Row;
	    b: Row;
	    reason: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new DuplicatePair(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.a = this.convertValues(source["a"], Row);
	        this.b = this.convertValues(source["b"], Row);
	        this.reason = source["reason"];
	        this.value = source["value"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Filter {
	    relationship: string;
	    tag: string;
	    owner: string;
	    companyId: number;
	    hasOpenTask: boolean;
	    restricted: boolean;
	    archived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Filter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.relationship = source["relationship"];
	        this.tag = source["tag"];
	        this.owner = source["owner"];
	        this.companyId = source["companyId"];
	        this.hasOpenTask = source["hasOpenTask"];
	        this.restricted = source["restricted"];
	        this.archived = source["archived"];
	    }
	}
	export class Hit {
	    kind: string;
	    id: number;
	    title: string;
	    detail: string;
	    contactId?: number;
	    companyId?: number;
	
	    static createFrom(source: any = {}) {
	        return new Hit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.title = source["title"];
	        this.detail = source["detail"];
	        this.contactId = source["contactId"];
	        this.companyId = source["companyId"];
	    }
	}
	export class RowProblem {
	    row: number;
	    reason: string;
	    detail: string;
	    field: string;
	    value: string;
	    skipped: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RowProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = source["row"];
	        this.reason = source["reason"];
	        this.detail = source["detail"];
	        this.field = source["field"];
	        this.value = source["value"];
	        this.skipped = source["skipped"];
	    }
	}
	export class ImportSummary {
	    dryRun: boolean;
	    rows: number;
	    new: number;
	    updated: number;
	    unchanged: number;
	    duplicates: number;
	    companiesCreated: number;
	    refused: number;
	    skippedValues: number;
	    problems: RowProblem[];
	
	    static createFrom(source: any = {}) {
	        return new ImportSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dryRun = source["dryRun"];
	        this.rows = source["rows"];
	        this.new = source["new"];
	        this.updated = source["updated"];
	        this.unchanged = source["unchanged"];
	        this.duplicates = source["duplicates"];
	        this.companiesCreated = source["companiesCreated"];
	        this.refused = source["refused"];
	        this.skippedValues = source["skippedValues"];
	        this.problems = this.convertValues(source["problems"], RowProblem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ListQuery {
	    filter: Filter;
	    sort: string;
	    desc: boolean;
	    offset: number;
	    limit: number;
	    withTotal: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ListQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.filter = this.convertValues(source["filter"], Filter);
	        this.sort = source["sort"];
	        this.desc = source["desc"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	        this.withTotal = source["withTotal"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Page {
	    total: number;
	    rows: Row[];
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.rows = this.convertValues(source["rows"], Row);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	export class Segment {
	    id: number;
	    name: string;
	    filter: Filter;
	
	    static createFrom(source: any = {}) {
	        return new Segment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.filter = this.convertValues(source["filter"], Filter);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TrashItem {
	    id: number;
	    name: string;
	    deletedAt: string;
	    purgeOn: string;
	
	    static createFrom(source: any = {}) {
	        return new TrashItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.deletedAt = source["deletedAt"];
	        this.purgeOn = source["purgeOn"];
	    }
	}

}

export namespace mail {
	
	export class Account {
	    id: number;
	    name: string;
	    address: string;
	    displayName: string;
	    imapHost: string;
	    imapPort: number;
	    imapSecurity: string;
	    smtpHost: string;
	    smtpPort: number;
	    smtpSecurity: string;
	    username: string;
	    password: string;
	    caPem: string;
	    pinnedCert: string;
	    signature: string;
	
	    static createFrom(source: any = {}) {
	        return new Account(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.address = source["address"];
	        this.displayName = source["displayName"];
	        this.imapHost = source["imapHost"];
	        this.imapPort = source["imapPort"];
	        this.imapSecurity = source["imapSecurity"];
	        this.smtpHost = source["smtpHost"];
	        this.smtpPort = source["smtpPort"];
	        this.smtpSecurity = source["smtpSecurity"];
	        this.username = source["username"];
	        this.password = source["password"];
	        this.caPem = source["caPem"];
	        this.pinnedCert = source["pinnedCert"];
	        this.signature = source["signature"];
	    }
	}
	export class Addr {
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new Addr(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class Attachment {
	    index: number;
	    filename: string;
	    contentType: string;
	    size: number;
	    contentId: string;
	    inline: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.index = source["index"];
	        this.filename = source["filename"];
	        this.contentType = source["contentType"];
	        this.size = source["size"];
	        this.contentId = source["contentId"];
	        this.inline = source["inline"];
	    }
	}
	export class Contact {
	    id: number;
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new Contact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class OutAttachment {
	    filename: string;
	    contentType: string;
	    data: number[];
	
	    static createFrom(source: any = {}) {
	        return new OutAttachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.filename = source["filename"];
	        this.contentType = source["contentType"];
	        this.data = source["data"];
	    }
	}
	export class Draft {
	    accountId: number;
	    to: string[];
	    cc: string[];
	    bcc: string[];
	    subject: string;
	    body: string;
	    inReplyTo: number;
	    forwardOf: number;
	    attachments: OutAttachment[];
	    answersRequest: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Draft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.accountId = source["accountId"];
	        this.to = source["to"];
	        this.cc = source["cc"];
	        this.bcc = source["bcc"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.inReplyTo = source["inReplyTo"];
	        this.forwardOf = source["forwardOf"];
	        this.attachments = this.convertValues(source["attachments"], OutAttachment);
	        this.answersRequest = source["answersRequest"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Folder {
	    id: number;
	    accountId: number;
	    name: string;
	    role: string;
	    sync: boolean;
	    syncedAt: string;
	    messages: number;
	    unread: number;
	
	    static createFrom(source: any = {}) {
	        return new Folder(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.sync = source["sync"];
	        this.syncedAt = source["syncedAt"];
	        this.messages = source["messages"];
	        this.unread = source["unread"];
	    }
	}
	export class Message {
	    id: number;
	    accountId: number;
	    folderId: number;
	    folderRole: string;
	    subject: string;
	    fromAddress: string;
	    fromName: string;
	    toNames: string;
	    date: string;
	    flags: number;
	    inbound: boolean;
	    hasAttachments: boolean;
	    snippet: string;
	    messageId: string;
	    inReplyTo: string;
	    from: Addr[];
	    to: Addr[];
	    cc: Addr[];
	    replyTo: Addr[];
	    text: string;
	    html: string;
	    remoteBlocked: number;
	    remoteAllowed: boolean;
	    senderVerified: boolean;
	    broken: boolean;
	    headersOnly: boolean;
	    size: number;
	    attachments: Attachment[];
	    contacts: Contact[];
	    unknown: Addr[];
	
	    static createFrom(source: any = {}) {
	        return new Message(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.folderId = source["folderId"];
	        this.folderRole = source["folderRole"];
	        this.subject = source["subject"];
	        this.fromAddress = source["fromAddress"];
	        this.fromName = source["fromName"];
	        this.toNames = source["toNames"];
	        this.date = source["date"];
	        this.flags = source["flags"];
	        this.inbound = source["inbound"];
	        this.hasAttachments = source["hasAttachments"];
	        this.snippet = source["snippet"];
	        this.messageId = source["messageId"];
	        this.inReplyTo = source["inReplyTo"];
	        this.from = this.convertValues(source["from"], Addr);
	        this.to = this.convertValues(source["to"], Addr);
	        this.cc = this.convertValues(source["cc"], Addr);
	        this.replyTo = this.convertValues(source["replyTo"], Addr);
	        this.text = source["text"];
	        this.html = source["html"];
	        this.remoteBlocked = source["remoteBlocked"];
	        this.remoteAllowed = source["remoteAllowed"];
	        this.senderVerified = source["senderVerified"];
	        this.broken = source["broken"];
	        this.headersOnly = source["headersOnly"];
	        this.size = source["size"];
	        this.attachments = this.convertValues(source["attachments"], Attachment);
	        this.contacts = this.convertValues(source["contacts"], Contact);
	        this.unknown = this.convertValues(source["unknown"], Addr);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class OutboxItem {
	    id: number;
	    accountId: number;
	    subject: string;
	    recipients: string[];
	    state: string;
	    attempts: number;
	    nextAttemptAt: string;
	    lastError: string;
	    createdAt: string;
	    sentAt: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.subject = source["subject"];
	        this.recipients = source["recipients"];
	        this.state = source["state"];
	        this.attempts = source["attempts"];
	        this.nextAttemptAt = source["nextAttemptAt"];
	        this.lastError = source["lastError"];
	        this.createdAt = source["createdAt"];
	        this.sentAt = source["sentAt"];
	    }
	}
	export class Summary {
	    id: number;
	    accountId: number;
	    folderId: number;
	    folderRole: string;
	    subject: string;
	    fromAddress: string;
	    fromName: string;
	    toNames: string;
	    date: string;
	    flags: number;
	    inbound: boolean;
	    hasAttachments: boolean;
	    snippet: string;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.accountId = source["accountId"];
	        this.folderId = source["folderId"];
	        this.folderRole = source["folderRole"];
	        this.subject = source["subject"];
	        this.fromAddress = source["fromAddress"];
	        this.fromName = source["fromName"];
	        this.toNames = source["toNames"];
	        this.date = source["date"];
	        this.flags = source["flags"];
	        this.inbound = source["inbound"];
	        this.hasAttachments = source["hasAttachments"];
	        this.snippet = source["snippet"];
	    }
	}
	export class Page {
	    messages: Summary[];
	    total: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = this.convertValues(source["messages"], Summary);
	        this.total = source["total"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Preset {
	    id: string;
	    label: string;
	    imapHost: string;
	    imapPort: number;
	    imapSecurity: string;
	    smtpHost: string;
	    smtpPort: number;
	    smtpSecurity: string;
	    appPassword: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.imapHost = source["imapHost"];
	        this.imapPort = source["imapPort"];
	        this.imapSecurity = source["imapSecurity"];
	        this.smtpHost = source["smtpHost"];
	        this.smtpPort = source["smtpPort"];
	        this.smtpSecurity = source["smtpSecurity"];
	        this.appPassword = source["appPassword"];
	    }
	}
	
	export class SyncResult {
	    new: number;
	    updated: number;
	    deleted: number;
	    reset: number;
	
	    static createFrom(source: any = {}) {
	        return new SyncResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.new = source["new"];
	        this.updated = source["updated"];
	        this.deleted = source["deleted"];
	        this.reset = source["reset"];
	    }
	}

}

export namespace privacy {
	
	export class AuditEntry {
	    id: number;
	    at: string;
	    actor: string;
	    action: string;
	    subjectKind: string;
	    subjectId: number;
	    subjectName: string;
	    detail: Record<string, any>;
	
	    static createFrom(source: any = {}) {
	        return new AuditEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = source["at"];
	        this.actor = source["actor"];
	        this.action = source["action"];
	        this.subjectKind = source["subjectKind"];
	        this.subjectId = source["subjectId"];
	        this.subjectName = source["subjectName"];
	        this.detail = source["detail"];
	    }
	}
	export class AuditQuery {
	    subjectKind: string;
	    subjectId: number;
	    action: string;
	    from: string;
	    to: string;
	    limit: number;
	    beforeId: number;
	
	    static createFrom(source: any = {}) {
	        return new AuditQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subjectKind = source["subjectKind"];
	        this.subjectId = source["subjectId"];
	        this.action = source["action"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.limit = source["limit"];
	        this.beforeId = source["beforeId"];
	    }
	}
	export class ChainStatus {
	    entries: number;
	    ok: boolean;
	    brokenAt: number;
	    reason: string;
	    checkedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new ChainStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = source["entries"];
	        this.ok = source["ok"];
	        this.brokenAt = source["brokenAt"];
	        this.reason = source["reason"];
	        this.checkedAt = source["checkedAt"];
	    }
	}
	export class Deadlines {
	    open: number;
	    overdue: number;
	    dueSoon: number;
	
	    static createFrom(source: any = {}) {
	        return new Deadlines(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.open = source["open"];
	        this.overdue = source["overdue"];
	        this.dueSoon = source["dueSoon"];
	    }
	}
	export class Entry {
	    id: number;
	    contactId: number;
	    purpose: string;
	    channel: string;
	    action: string;
	    wording: string;
	    wordingVersion: string;
	    method: string;
	    evidence: string;
	    evidenceName: string;
	    evidenceFile?: number[];
	    evidenceMessage: number;
	    hasFile: boolean;
	    recordedBy: string;
	    occurredAt: string;
	    recordedAt: string;
	    hash: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.contactId = source["contactId"];
	        this.purpose = source["purpose"];
	        this.channel = source["channel"];
	        this.action = source["action"];
	        this.wording = source["wording"];
	        this.wordingVersion = source["wordingVersion"];
	        this.method = source["method"];
	        this.evidence = source["evidence"];
	        this.evidenceName = source["evidenceName"];
	        this.evidenceFile = source["evidenceFile"];
	        this.evidenceMessage = source["evidenceMessage"];
	        this.hasFile = source["hasFile"];
	        this.recordedBy = source["recordedBy"];
	        this.occurredAt = source["occurredAt"];
	        this.recordedAt = source["recordedAt"];
	        this.hash = source["hash"];
	    }
	}
	export class Profile {
	    userLabel: string;
	    dpoName: string;
	    dpoEmail: string;
	    dpoPhone: string;
	    dpoAddress: string;
	    representativeName: string;
	    representativeAddress: string;
	
	    static createFrom(source: any = {}) {
	        return new Profile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.userLabel = source["userLabel"];
	        this.dpoName = source["dpoName"];
	        this.dpoEmail = source["dpoEmail"];
	        this.dpoPhone = source["dpoPhone"];
	        this.dpoAddress = source["dpoAddress"];
	        this.representativeName = source["representativeName"];
	        this.representativeAddress = source["representativeAddress"];
	    }
	}
	export class Transfer {
	    country: string;
	    safeguard: string;
	
	    static createFrom(source: any = {}) {
	        return new Transfer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.country = source["country"];
	        this.safeguard = source["safeguard"];
	    }
	}
	export class Recipient {
	    name: string;
	    kind: string;
	    country: string;
	
	    static createFrom(source: any = {}) {
	        return new Recipient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.country = source["country"];
	    }
	}
	export class Purpose {
	    id: number;
	    key: string;
	    name: string;
	    description: string;
	    lawfulBasis: string;
	    balancingNote: string;
	    dataCategories: string[];
	    peopleCategories: string[];
	    recipients: Recipient[];
	    transfers: Transfer[];
	    security: string[];
	    retentionMonths: number;
	    retentionFrom: string;
	    retentionNote: string;
	    sensitiveCondition: string;
	    consentValidMonths: number;
	
	    static createFrom(source: any = {}) {
	        return new Purpose(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.key = source["key"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.lawfulBasis = source["lawfulBasis"];
	        this.balancingNote = source["balancingNote"];
	        this.dataCategories = source["dataCategories"];
	        this.peopleCategories = source["peopleCategories"];
	        this.recipients = this.convertValues(source["recipients"], Recipient);
	        this.transfers = this.convertValues(source["transfers"], Transfer);
	        this.security = source["security"];
	        this.retentionMonths = source["retentionMonths"];
	        this.retentionFrom = source["retentionFrom"];
	        this.retentionNote = source["retentionNote"];
	        this.sensitiveCondition = source["sensitiveCondition"];
	        this.consentValidMonths = source["consentValidMonths"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Renewal {
	    contactId: number;
	    name: string;
	    purpose: string;
	    channel: string;
	    expiresAt: string;
	    expired: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Renewal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.purpose = source["purpose"];
	        this.channel = source["channel"];
	        this.expiresAt = source["expiresAt"];
	        this.expired = source["expired"];
	    }
	}
	export class Request {
	    id: number;
	    kind: string;
	    contactId: number;
	    requester: string;
	    channel: string;
	    receivedOn: string;
	    idCheckMethod: string;
	    idCheckOn: string;
	    idCheckResult: string;
	    status: string;
	    extensionMonths: number;
	    extensionReason: string;
	    personToldOn: string;
	    decision: string;
	    reasons: string;
	    documents: string[];
	    closedOn: string;
	    erased: boolean;
	    dueOn: string;
	    daysLeft: number;
	
	    static createFrom(source: any = {}) {
	        return new Request(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.contactId = source["contactId"];
	        this.requester = source["requester"];
	        this.channel = source["channel"];
	        this.receivedOn = source["receivedOn"];
	        this.idCheckMethod = source["idCheckMethod"];
	        this.idCheckOn = source["idCheckOn"];
	        this.idCheckResult = source["idCheckResult"];
	        this.status = source["status"];
	        this.extensionMonths = source["extensionMonths"];
	        this.extensionReason = source["extensionReason"];
	        this.personToldOn = source["personToldOn"];
	        this.decision = source["decision"];
	        this.reasons = source["reasons"];
	        this.documents = source["documents"];
	        this.closedOn = source["closedOn"];
	        this.erased = source["erased"];
	        this.dueOn = source["dueOn"];
	        this.daysLeft = source["daysLeft"];
	    }
	}
	export class RequestQuery {
	    openOnly: boolean;
	    contactId: number;
	
	    static createFrom(source: any = {}) {
	        return new RequestQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.openOnly = source["openOnly"];
	        this.contactId = source["contactId"];
	    }
	}
	export class State {
	    purpose: string;
	    channel: string;
	    status: string;
	    since: string;
	    expiresAt: string;
	    entryId: number;
	
	    static createFrom(source: any = {}) {
	        return new State(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.purpose = source["purpose"];
	        this.channel = source["channel"];
	        this.status = source["status"];
	        this.since = source["since"];
	        this.expiresAt = source["expiresAt"];
	        this.entryId = source["entryId"];
	    }
	}

}

export namespace retention {
	
	export class Item {
	    kind: string;
	    id: number;
	    name: string;
	    detail: string;
	    from: string;
	    startAt: string;
	    dueAt: string;
	    state?: string;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.id = source["id"];
	        this.name = source["name"];
	        this.detail = source["detail"];
	        this.from = source["from"];
	        this.startAt = source["startAt"];
	        this.dueAt = source["dueAt"];
	        this.state = source["state"];
	    }
	}
	export class Group {
	    key: string;
	    months: number;
	    actions: string[];
	    due: Item[];
	    soon: Item[];
	
	    static createFrom(source: any = {}) {
	        return new Group(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.months = source["months"];
	        this.actions = source["actions"];
	        this.due = this.convertValues(source["due"], Item);
	        this.soon = this.convertValues(source["soon"], Item);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Letter {
	    contactId: number;
	    name: string;
	    language: string;
	    to: string;
	    subject: string;
	    body: string;
	    deadline: string;
	
	    static createFrom(source: any = {}) {
	        return new Letter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.language = source["language"];
	        this.to = source["to"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.deadline = source["deadline"];
	    }
	}
	export class Policy {
	    prospectMonths: number;
	    customerMonths: number;
	    archiveMonths: number;
	    messageMonths: number;
	    repermissionDays: number;
	
	    static createFrom(source: any = {}) {
	        return new Policy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.prospectMonths = source["prospectMonths"];
	        this.customerMonths = source["customerMonths"];
	        this.archiveMonths = source["archiveMonths"];
	        this.messageMonths = source["messageMonths"];
	        this.repermissionDays = source["repermissionDays"];
	    }
	}
	export class Sweep {
	    asOf: string;
	    policy: Policy;
	    groups: Group[];
	    dueNow: number;
	    dueSoon: number;
	
	    static createFrom(source: any = {}) {
	        return new Sweep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.asOf = source["asOf"];
	        this.policy = this.convertValues(source["policy"], Policy);
	        this.groups = this.convertValues(source["groups"], Group);
	        this.dueNow = source["dueNow"];
	        this.dueSoon = source["dueSoon"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace rights {
	
	export class Recipient {
	    name: string;
	    kind: string;
	    country: string;
	    purposes: string[];
	    informed: string;
	
	    static createFrom(source: any = {}) {
	        return new Recipient(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.country = source["country"];
	        this.purposes = source["purposes"];
	        this.informed = source["informed"];
	    }
	}
	export class Hold {
	    what: string;
	    count: number;
	    reason: string;
	    until: string;
	
	    static createFrom(source: any = {}) {
	        return new Hold(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.count = source["count"];
	        this.reason = source["reason"];
	        this.until = source["until"];
	    }
	}
	export class Item {
	    what: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new Item(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.what = source["what"];
	        this.count = source["count"];
	    }
	}
	export class Plan {
	    contactId: number;
	    name: string;
	    restricted: boolean;
	    erase: Item[];
	    keep: Hold[];
	    recipients: Recipient[];
	    mailAccounts: string[];
	    since: string;
	    copies?: backup.Copies;
	
	    static createFrom(source: any = {}) {
	        return new Plan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.name = source["name"];
	        this.restricted = source["restricted"];
	        this.erase = this.convertValues(source["erase"], Item);
	        this.keep = this.convertValues(source["keep"], Hold);
	        this.recipients = this.convertValues(source["recipients"], Recipient);
	        this.mailAccounts = source["mailAccounts"];
	        this.since = source["since"];
	        this.copies = this.convertValues(source["copies"], backup.Copies);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Erasure {
	    id: number;
	    certificate: string;
	    erasedAt: string;
	    requestId: number;
	    plan: Plan;
	
	    static createFrom(source: any = {}) {
	        return new Erasure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.certificate = source["certificate"];
	        this.erasedAt = source["erasedAt"];
	        this.requestId = source["requestId"];
	        this.plan = this.convertValues(source["plan"], Plan);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class ReappliedErasure {
	    contactId: number;
	    certificate: string;
	    erasedAt: string;
	    now: string;
	
	    static createFrom(source: any = {}) {
	        return new ReappliedErasure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contactId = source["contactId"];
	        this.certificate = source["certificate"];
	        this.erasedAt = source["erasedAt"];
	        this.now = source["now"];
	    }
	}
	export class Reapplied {
	    erasures: ReappliedErasure[];
	    relisted: number;
	    notRelisted: number;
	    record?: string;
	
	    static createFrom(source: any = {}) {
	        return new Reapplied(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.erasures = this.convertValues(source["erasures"], ReappliedErasure);
	        this.relisted = source["relisted"];
	        this.notRelisted = source["notRelisted"];
	        this.record = source["record"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace sales {
	
	export class Profile {
	    legalName: string;
	    legalForm: string;
	    shareCapital: number;
	    street: string;
	    postalCode: string;
	    city: string;
	    country: string;
	    siren: string;
	    siret: string;
	    registry: string;
	    vatNumber: string;
	    vatFranchise: boolean;
	    vatOnDebits: boolean;
	    soleTrader: boolean;
	    email: string;
	    phone: string;
	    logo: string;
	    iban: string;
	    bic: string;
	    paymentDays: number;
	    latePenaltyRate: number;
	    quoteValidityDays: number;
	    quotePattern: string;
	    invoicePattern: string;
	    creditPattern: string;
	
	    static createFrom(source: any = {}) {
	        return new Profile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.legalName = source["legalName"];
	        this.legalForm = source["legalForm"];
	        this.shareCapital = source["shareCapital"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.country = source["country"];
	        this.siren = source["siren"];
	        this.siret = source["siret"];
	        this.registry = source["registry"];
	        this.vatNumber = source["vatNumber"];
	        this.vatFranchise = source["vatFranchise"];
	        this.vatOnDebits = source["vatOnDebits"];
	        this.soleTrader = source["soleTrader"];
	        this.email = source["email"];
	        this.phone = source["phone"];
	        this.logo = source["logo"];
	        this.iban = source["iban"];
	        this.bic = source["bic"];
	        this.paymentDays = source["paymentDays"];
	        this.latePenaltyRate = source["latePenaltyRate"];
	        this.quoteValidityDays = source["quoteValidityDays"];
	        this.quotePattern = source["quotePattern"];
	        this.invoicePattern = source["invoicePattern"];
	        this.creditPattern = source["creditPattern"];
	    }
	}
	export class Party {
	    name: string;
	    contact: string;
	    street: string;
	    postalCode: string;
	    city: string;
	    country: string;
	    siren: string;
	    vatNumber: string;
	    email: string;
	    delivery: string;
	
	    static createFrom(source: any = {}) {
	        return new Party(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.contact = source["contact"];
	        this.street = source["street"];
	        this.postalCode = source["postalCode"];
	        this.city = source["city"];
	        this.country = source["country"];
	        this.siren = source["siren"];
	        this.vatNumber = source["vatNumber"];
	        this.email = source["email"];
	        this.delivery = source["delivery"];
	    }
	}
	export class RateTotal {
	    rate: number;
	    base: number;
	    vat: number;
	    exemption: string;
	
	    static createFrom(source: any = {}) {
	        return new RateTotal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rate = source["rate"];
	        this.base = source["base"];
	        this.vat = source["vat"];
	        this.exemption = source["exemption"];
	    }
	}
	export class Totals {
	    lines: number;
	    discount: number;
	    net: number;
	    vat: number;
	    gross: number;
	    byRate: RateTotal[];
	
	    static createFrom(source: any = {}) {
	        return new Totals(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lines = source["lines"];
	        this.discount = source["discount"];
	        this.net = source["net"];
	        this.vat = source["vat"];
	        this.gross = source["gross"];
	        this.byRate = this.convertValues(source["byRate"], RateTotal);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Line {
	    productId: number;
	    description: string;
	    quantity: number;
	    unit: string;
	    unitPrice: number;
	    discountRate: number;
	    discountAmount: number;
	    vatRate: number;
	    exemption: string;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.productId = source["productId"];
	        this.description = source["description"];
	        this.quantity = source["quantity"];
	        this.unit = source["unit"];
	        this.unitPrice = source["unitPrice"];
	        this.discountRate = source["discountRate"];
	        this.discountAmount = source["discountAmount"];
	        this.vatRate = source["vatRate"];
	        this.exemption = source["exemption"];
	    }
	}
	export class Document {
	    id: number;
	    kind: string;
	    number: string;
	    state: string;
	    status: string;
	    contactId: number;
	    companyId: number;
	    quoteId: number;
	    invoiceId: number;
	    invoiceNumber: string;
	    invoiceDate: string;
	    b2c: boolean;
	    operation: string;
	    issueDate: string;
	    saleDate: string;
	    dueDate: string;
	    validUntil: string;
	    discountRate: number;
	    discountAmount: number;
	    notes: string;
	    terms: string;
	    delivery: string;
	    lines: Line[];
	    nets: number[];
	    totals: Totals;
	    buyer: Party;
	    seller: Profile;
	    paid: number;
	    credited: number;
	    due: number;
	    issuedAt: string;
	    sealed: boolean;
	    sealedUntil: string;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.number = source["number"];
	        this.state = source["state"];
	        this.status = source["status"];
	        this.contactId = source["contactId"];
	        this.companyId = source["companyId"];
	        this.quoteId = source["quoteId"];
	        this.invoiceId = source["invoiceId"];
	        this.invoiceNumber = source["invoiceNumber"];
	        this.invoiceDate = source["invoiceDate"];
	        this.b2c = source["b2c"];
	        this.operation = source["operation"];
	        this.issueDate = source["issueDate"];
	        this.saleDate = source["saleDate"];
	        this.dueDate = source["dueDate"];
	        this.validUntil = source["validUntil"];
	        this.discountRate = source["discountRate"];
	        this.discountAmount = source["discountAmount"];
	        this.notes = source["notes"];
	        this.terms = source["terms"];
	        this.delivery = source["delivery"];
	        this.lines = this.convertValues(source["lines"], Line);
	        this.nets = source["nets"];
	        this.totals = this.convertValues(source["totals"], Totals);
	        this.buyer = this.convertValues(source["buyer"], Party);
	        this.seller = this.convertValues(source["seller"], Profile);
	        this.paid = source["paid"];
	        this.credited = source["credited"];
	        this.due = source["due"];
	        this.issuedAt = source["issuedAt"];
	        this.sealed = source["sealed"];
	        this.sealedUntil = source["sealedUntil"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ListFilter {
	    kind: string;
	    status: string;
	    customer: string;
	    from: string;
	    to: string;
	    contactId: number;
	    companyId: number;
	
	    static createFrom(source: any = {}) {
	        return new ListFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.status = source["status"];
	        this.customer = source["customer"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.contactId = source["contactId"];
	        this.companyId = source["companyId"];
	    }
	}
	export class MonthRevenue {
	    month: string;
	    net: number;
	
	    static createFrom(source: any = {}) {
	        return new MonthRevenue(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.month = source["month"];
	        this.net = source["net"];
	    }
	}
	export class Overview {
	    due: number;
	    overdue: number;
	    overdueCount: number;
	    openQuotes: number;
	    months: MonthRevenue[];
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.due = source["due"];
	        this.overdue = source["overdue"];
	        this.overdueCount = source["overdueCount"];
	        this.openQuotes = source["openQuotes"];
	        this.months = this.convertValues(source["months"], MonthRevenue);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Payment {
	    id: number;
	    paidOn: string;
	    amount: number;
	    method: string;
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new Payment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.paidOn = source["paidOn"];
	        this.amount = source["amount"];
	        this.method = source["method"];
	        this.note = source["note"];
	    }
	}
	export class Product {
	    id: number;
	    reference: string;
	    label: string;
	    description: string;
	    unit: string;
	    unitPrice: number;
	    vatRate: number;
	    exemption: string;
	    archived: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Product(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.reference = source["reference"];
	        this.label = source["label"];
	        this.description = source["description"];
	        this.unit = source["unit"];
	        this.unitPrice = source["unitPrice"];
	        this.vatRate = source["vatRate"];
	        this.exemption = source["exemption"];
	        this.archived = source["archived"];
	    }
	}
	
	
	export class Summary {
	    id: number;
	    kind: string;
	    number: string;
	    status: string;
	    customer: string;
	    issueDate: string;
	    dueDate: string;
	    gross: number;
	    due: number;
	    sealed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.number = source["number"];
	        this.status = source["status"];
	        this.customer = source["customer"];
	        this.issueDate = source["issueDate"];
	        this.dueDate = source["dueDate"];
	        this.gross = source["gross"];
	        this.due = source["due"];
	        this.sealed = source["sealed"];
	    }
	}

}

export namespace vault {
	
	export class BackupInfo {
	    path: string;
	    // Go type: time
	    created: any;
	    appVersion: string;
	    vaultId: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new BackupInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.created = this.convertValues(source["created"], null);
	        this.appVersion = source["appVersion"];
	        this.vaultId = source["vaultId"];
	        this.size = source["size"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Rollback {
	    chain: string;
	    anchoredEntries: number;
	    entries: number;
	
	    static createFrom(source: any = {}) {
	        return new Rollback(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.chain = source["chain"];
	        this.anchoredEntries = source["anchoredEntries"];
	        this.entries = source["entries"];
	    }
	}

}

