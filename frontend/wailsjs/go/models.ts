export namespace app {
	
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
	export class UserError {
	    key: string;
	    params?: {[key: string]: any};
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
	export class VaultSettings {
	    autoLockMinutes: number;
	    minAutoLock: number;
	    maxAutoLock: number;
	
	    static createFrom(source: any = {}) {
	        return new VaultSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.autoLockMinutes = source["autoLockMinutes"];
	        this.minAutoLock = source["minAutoLock"];
	        this.maxAutoLock = source["maxAutoLock"];
	    }
	}
	export class VaultStatus {
	    state: string;
	    problem?: UserError;
	    mustChangePassphrase: boolean;
	    dataDir: string;
	    version: string;
	    minPassphraseLength: number;
	
	    static createFrom(source: any = {}) {
	        return new VaultStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.problem = this.convertValues(source["problem"], UserError);
	        this.mustChangePassphrase = source["mustChangePassphrase"];
	        this.dataDir = source["dataDir"];
	        this.version = source["version"];
	        this.minPassphraseLength = source["minPassphraseLength"];
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

