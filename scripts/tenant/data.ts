/**
 * The static facts the synthetic tenant is drawn from: sites, departments and job titles, names,
 * partner domains, device models. Weights are relative frequencies, chosen to look like a mid-size
 * multinational with a frontline retail arm.
 */

export const TENANT = {
  name: 'Contoso',
  domain: 'contoso.com',
  initialDomain: 'contoso.onmicrosoft.com',
  /** The acquired company whose mail domain survives as an alias. */
  acquiredDomain: 'litwareinc.com',
  acquiredCompany: 'Litware, Inc.',
  companyName: 'Contoso Ltd.',
  adDomain: 'DC=corp,DC=contoso,DC=com',
  /** The fixed moment the snapshot stands for; also `system.now` when computing members. */
  takenAt: '2026-11-01T00:00:00Z',
} as const;

export type NamePool = 'en' | 'de' | 'fr' | 'es' | 'pt' | 'nl' | 'ja' | 'in';

export interface Site {
  readonly country: string;
  readonly usageLocation: string;
  readonly city: string;
  readonly state: string | null;
  readonly postalCode: string;
  readonly streetAddress: string;
  /** Business phone prefix; four digits follow. */
  readonly phone: string;
  readonly mobile: string;
  readonly language: string;
  readonly pool: NamePool;
  /** Short office code used in office locations and device names. */
  readonly code: string;
  readonly weight: number;
}

export const SITES: readonly Site[] = [
  { country: 'United States', usageLocation: 'US', city: 'Seattle', state: 'WA', postalCode: '98101', streetAddress: '1200 Fifth Avenue', phone: '+1 206 555 ', mobile: '+1 206 555 ', language: 'en-US', pool: 'en', code: 'SEA', weight: 20 },
  { country: 'United States', usageLocation: 'US', city: 'Redmond', state: 'WA', postalCode: '98052', streetAddress: '15010 NE 36th Street', phone: '+1 425 555 ', mobile: '+1 425 555 ', language: 'en-US', pool: 'en', code: 'RED', weight: 12 },
  { country: 'United States', usageLocation: 'US', city: 'New York', state: 'NY', postalCode: '10018', streetAddress: '1100 Avenue of the Americas', phone: '+1 212 555 ', mobile: '+1 917 555 ', language: 'en-US', pool: 'en', code: 'NYC', weight: 8 },
  { country: 'United States', usageLocation: 'US', city: 'Austin', state: 'TX', postalCode: '78701', streetAddress: '500 West 2nd Street', phone: '+1 512 555 ', mobile: '+1 512 555 ', language: 'en-US', pool: 'en', code: 'AUS', weight: 6 },
  { country: 'United States', usageLocation: 'US', city: 'Chicago', state: 'IL', postalCode: '60606', streetAddress: '200 South Wacker Drive', phone: '+1 312 555 ', mobile: '+1 312 555 ', language: 'en-US', pool: 'en', code: 'CHI', weight: 4 },
  { country: 'Canada', usageLocation: 'CA', city: 'Toronto', state: 'ON', postalCode: 'M5J 2S1', streetAddress: '81 Bay Street', phone: '+1 416 555 ', mobile: '+1 647 555 ', language: 'en-CA', pool: 'en', code: 'TOR', weight: 5 },
  { country: 'United Kingdom', usageLocation: 'GB', city: 'London', state: null, postalCode: 'EC2M 7PY', streetAddress: '2 Bishopsgate', phone: '+44 20 7946 ', mobile: '+44 7700 900', language: 'en-GB', pool: 'en', code: 'LON', weight: 7 },
  { country: 'United Kingdom', usageLocation: 'GB', city: 'Manchester', state: null, postalCode: 'M1 3HU', streetAddress: '1 Piccadilly Gardens', phone: '+44 161 496 ', mobile: '+44 7700 900', language: 'en-GB', pool: 'en', code: 'MAN', weight: 3 },
  { country: 'Germany', usageLocation: 'DE', city: 'Munich', state: 'Bavaria', postalCode: '80807', streetAddress: 'Walter-Gropius-Straße 5', phone: '+49 89 3176 ', mobile: '+49 151 2345 ', language: 'de-DE', pool: 'de', code: 'MUC', weight: 6 },
  { country: 'Germany', usageLocation: 'DE', city: 'Berlin', state: 'Berlin', postalCode: '10117', streetAddress: 'Unter den Linden 17', phone: '+49 30 3983 ', mobile: '+49 160 9876 ', language: 'de-DE', pool: 'de', code: 'BER', weight: 3 },
  { country: 'Austria', usageLocation: 'AT', city: 'Vienna', state: 'Vienna', postalCode: '1020', streetAddress: 'Am Europlatz 3', phone: '+43 1 6102 ', mobile: '+43 664 123 ', language: 'de-AT', pool: 'de', code: 'VIE', weight: 2 },
  { country: 'Switzerland', usageLocation: 'CH', city: 'Zurich', state: 'ZH', postalCode: '8048', streetAddress: 'Richtistrasse 3', phone: '+41 44 456 ', mobile: '+41 79 555 ', language: 'de-CH', pool: 'de', code: 'ZRH', weight: 2 },
  { country: 'France', usageLocation: 'FR', city: 'Paris', state: 'Île-de-France', postalCode: '92130', streetAddress: '39 Quai du Président Roosevelt', phone: '+33 1 5700 ', mobile: '+33 6 1234 ', language: 'fr-FR', pool: 'fr', code: 'PAR', weight: 4 },
  { country: 'Netherlands', usageLocation: 'NL', city: 'Amsterdam', state: 'North Holland', postalCode: '1118 CZ', streetAddress: 'Evert van de Beekstraat 354', phone: '+31 20 500 ', mobile: '+31 6 1234 ', language: 'nl-NL', pool: 'nl', code: 'AMS', weight: 2 },
  { country: 'Spain', usageLocation: 'ES', city: 'Madrid', state: 'Madrid', postalCode: '28043', streetAddress: 'Paseo del Club Deportivo 1', phone: '+34 91 391 ', mobile: '+34 612 34', language: 'es-ES', pool: 'es', code: 'MAD', weight: 2 },
  { country: 'Brazil', usageLocation: 'BR', city: 'São Paulo', state: 'SP', postalCode: '04543-907', streetAddress: 'Avenida Presidente Juscelino Kubitschek 1909', phone: '+55 11 5504 ', mobile: '+55 11 9876 ', language: 'pt-BR', pool: 'pt', code: 'SAO', weight: 3 },
  { country: 'India', usageLocation: 'IN', city: 'Bengaluru', state: 'Karnataka', postalCode: '560025', streetAddress: '8 Vittal Mallya Road', phone: '+91 80 4010 ', mobile: '+91 98450 ', language: 'en-IN', pool: 'in', code: 'BLR', weight: 5 },
  { country: 'Japan', usageLocation: 'JP', city: 'Tokyo', state: 'Tokyo', postalCode: '108-0075', streetAddress: '2-16-3 Konan, Minato-ku', phone: '+81 3 4332 ', mobile: '+81 90 1234 ', language: 'ja-JP', pool: 'ja', code: 'TYO', weight: 2 },
  { country: 'Australia', usageLocation: 'AU', city: 'Sydney', state: 'NSW', postalCode: '2113', streetAddress: '1 Epping Road', phone: '+61 2 8281 ', mobile: '+61 412 345 ', language: 'en-AU', pool: 'en', code: 'SYD', weight: 2 },
];

/** Org levels, top down. */
export const LEVEL = { ceo: 0, head: 1, director: 2, manager: 3, individual: 4 } as const;
export type Level = (typeof LEVEL)[keyof typeof LEVEL];

export interface Department {
  readonly name: string;
  readonly weight: number;
  /** Cost centre prefix; two digits follow (extensionAttribute1). */
  readonly costCentre: string;
  readonly head: string;
  readonly director: readonly string[];
  readonly manager: readonly string[];
  /** Individual contributor titles with weights. */
  readonly individual: readonly (readonly [string, number])[];
}

export const EXECUTIVE = 'Executive';

/** Departments; the CEO's office ("Executive") is handled on its own. */
export const DEPARTMENTS: readonly Department[] = [
  { name: 'Sales', weight: 16, costCentre: 'CC-21', head: 'Vice President of Sales', director: ['Director of Sales', 'Regional Sales Director'], manager: ['Sales Manager', 'Regional Sales Manager'],
    individual: [['Account Executive', 5], ['Sales Development Representative', 3], ['Inside Sales Representative', 2], ['Sales Operations Analyst', 1], ['Solutions Consultant', 2]] },
  { name: 'Marketing', weight: 8, costCentre: 'CC-22', head: 'Chief Marketing Officer', director: ['Director of Marketing'], manager: ['Marketing Manager', 'Brand Manager'],
    individual: [['Marketing Specialist', 3], ['Content Strategist', 2], ['Marketing Analyst', 1], ['Product Marketing Manager', 2], ['Digital Marketing Specialist', 2], ['Graphic Designer', 1]] },
  { name: 'Engineering', weight: 19, costCentre: 'CC-31', head: 'Vice President of Engineering', director: ['Director of Engineering'], manager: ['Engineering Manager'],
    individual: [['Software Engineer', 5], ['Senior Software Engineer', 4], ['Principal Software Engineer', 1], ['QA Engineer', 2], ['DevOps Engineer', 2], ['Solutions Architect', 1], ['Site Reliability Engineer', 1], ['Data Analyst', 1]] },
  { name: 'Product Management', weight: 4, costCentre: 'CC-32', head: 'Chief Product Officer', director: ['Director of Product Management'], manager: ['Group Product Manager'],
    individual: [['Product Manager', 4], ['Program Manager', 2], ['UX Designer', 2], ['UX Researcher', 1]] },
  { name: 'IT', weight: 5, costCentre: 'CC-33', head: 'Chief Information Officer', director: ['Director of IT'], manager: ['IT Manager'],
    individual: [['Systems Administrator', 3], ['Service Desk Analyst', 3], ['Network Engineer', 2], ['Security Analyst', 2], ['Cloud Architect', 1], ['Identity Engineer', 1]] },
  { name: 'Finance', weight: 6, costCentre: 'CC-41', head: 'Chief Financial Officer', director: ['Financial Controller'], manager: ['Finance Manager'],
    individual: [['Accountant', 3], ['Financial Analyst', 3], ['Accounts Payable Specialist', 2], ['Payroll Specialist', 1], ['Tax Specialist', 1]] },
  { name: 'Human Resources', weight: 4, costCentre: 'CC-42', head: 'Chief People Officer', director: ['Director of Talent'], manager: ['HR Manager'],
    individual: [['HR Generalist', 3], ['Recruiter', 3], ['HR Business Partner', 2], ['People Analyst', 1]] },
  { name: 'Legal', weight: 2, costCentre: 'CC-43', head: 'General Counsel', director: ['Deputy General Counsel'], manager: ['Legal Operations Manager'],
    individual: [['Corporate Counsel', 2], ['Paralegal', 2], ['Compliance Analyst', 1]] },
  { name: 'Customer Support', weight: 10, costCentre: 'CC-51', head: 'Vice President of Customer Success', director: ['Director of Support'], manager: ['Support Manager'],
    individual: [['Customer Support Agent', 6], ['Technical Support Engineer', 3], ['Support Escalation Specialist', 1]] },
  { name: 'Retail Operations', weight: 15, costCentre: 'CC-61', head: 'Vice President of Retail Operations', director: ['Regional Operations Director'], manager: ['Store Manager'],
    individual: [['Store Associate', 8], ['Shift Supervisor', 2], ['Warehouse Associate', 3], ['Visual Merchandiser', 1], ['Delivery Driver', 1]] },
];

export const FIRST_NAMES: Readonly<Record<NamePool, readonly string[]>> = {
  en: ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica',
    'Thomas', 'Sarah', 'Christopher', 'Karen', 'Daniel', 'Lisa', 'Matthew', 'Nancy', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Andrew', 'Emily', 'Joshua',
    'Megan', 'Kevin', 'Olivia', 'Brian', 'Chloe', 'Ryan', 'Grace', 'Aisha', 'Omar', 'Mei', 'Wei', 'Carlos', 'Sofia', 'Liam', 'Noah', 'Emma', 'Ava', 'Ethan', 'Zoe',
    'Adele', 'Alex', 'Diego', 'Isaiah', 'Johanna', 'Lidia', 'Lynne', 'Megan', 'Nestor', 'Pradeep', 'Grady', 'Henrietta', 'Irvin', 'Jordan', 'Miriam', 'Patti'],
  de: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Maximilian', 'Sophie', 'Felix', 'Marie', 'Paul', 'Hannah', 'Leon', 'Johanna', 'Finn', 'Emilia', 'Elias', 'Lena', 'Jürgen',
    'Katharina', 'Stefan', 'Sabine', 'Andreas', 'Julia', 'Matthias', 'Franziska', 'Tobias', 'Nina', 'Günther', 'Birgit'],
  fr: ['Louis', 'Camille', 'Hugo', 'Léa', 'Jules', 'Manon', 'Gabriel', 'Chloé', 'Arthur', 'Inès', 'Lucas', 'Sarah', 'Théo', 'Zoé', 'Nathan', 'Élodie', 'Antoine',
    'Margaux', 'Julien', 'Céline', 'François', 'Hélène'],
  es: ['Alejandro', 'Lucía', 'Pablo', 'María', 'Javier', 'Carmen', 'Diego', 'Laura', 'Sergio', 'Marta', 'Álvaro', 'Paula', 'Adrián', 'Elena', 'Íñigo', 'Nuria'],
  pt: ['João', 'Ana', 'Pedro', 'Beatriz', 'Rafael', 'Larissa', 'Gustavo', 'Camila', 'Tiago', 'Fernanda', 'Lucas', 'Mariana', 'Gabriel', 'Júlia', 'Matheus', 'Letícia'],
  nl: ['Daan', 'Emma', 'Sem', 'Julia', 'Lars', 'Sanne', 'Bram', 'Fleur', 'Thijs', 'Lotte', 'Ruben', 'Eva', 'Joost', 'Femke'],
  ja: ['Haruto', 'Yui', 'Sota', 'Hina', 'Yuto', 'Sakura', 'Ren', 'Aoi', 'Takumi', 'Mio', 'Kenji', 'Yuki', 'Daiki', 'Emi'],
  in: ['Aarav', 'Priya', 'Vivaan', 'Ananya', 'Arjun', 'Diya', 'Rohan', 'Isha', 'Rahul', 'Kavya', 'Vikram', 'Sneha', 'Aditya', 'Pooja', 'Karthik', 'Lakshmi'],
};

export const LAST_NAMES: Readonly<Record<NamePool, readonly string[]>> = {
  en: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas',
    'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott',
    'Nguyen', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Patel', "O'Brien", 'Murphy', 'Kelly', 'Chen', 'Kim', 'Campbell', 'Evans', 'Edwards',
    'Collins', 'Vance', 'Wilber', 'Bowen', 'Sherman', 'Stewart', 'Archer', 'Brooks', 'Foster'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf',
    'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Weiß'],
  fr: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David',
    'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Girard', 'Bonnet'],
  es: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz'],
  pt: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira', 'Almeida', 'Ferreira', 'Ribeiro', 'Carvalho', 'Gomes', 'Martins', 'Araújo', 'Rocha'],
  nl: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos'],
  ja: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada'],
  in: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Gupta', 'Reddy', 'Iyer', 'Nair', 'Rao', 'Mehta', 'Joshi', 'Desai', 'Menon', 'Bhat'],
};

/** Organisations B2B guests come from. `company` null: a personal address. */
export const GUEST_DOMAINS: readonly { readonly domain: string; readonly company: string | null; readonly weight: number }[] = [
  { domain: 'fabrikam.com', company: 'Fabrikam, Inc.', weight: 6 },
  { domain: 'northwindtraders.com', company: 'Northwind Traders', weight: 4 },
  { domain: 'adatum.com', company: 'A. Datum Corporation', weight: 3 },
  { domain: 'tailspintoys.com', company: 'Tailspin Toys', weight: 2 },
  { domain: 'woodgrovebank.com', company: 'Woodgrove Bank', weight: 2 },
  { domain: 'gmail.com', company: null, weight: 2 },
  { domain: 'outlook.com', company: null, weight: 1 },
];

/** Staffing firms contractors come from (companyName). */
export const CONTRACTOR_COMPANIES: readonly string[] = ['Proseware Consulting', 'Adatum Staffing', 'Trey Research'];

export const PERSONAL_MAIL_DOMAINS: readonly string[] = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me'];

export interface DeviceModel {
  readonly manufacturer: string;
  readonly model: string;
  readonly weight: number;
}

export const WINDOWS_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'Dell Inc.', model: 'Latitude 7440', weight: 5 },
  { manufacturer: 'Dell Inc.', model: 'Latitude 5540', weight: 4 },
  { manufacturer: 'LENOVO', model: 'ThinkPad T14 Gen 4', weight: 4 },
  { manufacturer: 'LENOVO', model: 'ThinkPad X1 Carbon Gen 11', weight: 2 },
  { manufacturer: 'HP', model: 'HP EliteBook 840 G10', weight: 4 },
  { manufacturer: 'Microsoft Corporation', model: 'Surface Laptop 5', weight: 2 },
  { manufacturer: 'Microsoft Corporation', model: 'Surface Pro 9', weight: 2 },
];

export const WINDOWS_VERSIONS: readonly (readonly [string, number])[] = [
  ['10.0.19045.5011', 3], // Windows 10 22H2
  ['10.0.22631.4460', 5], // Windows 11 23H2
  ['10.0.26100.2314', 3], // Windows 11 24H2
];

export const IPHONE_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'Apple', model: 'iPhone 15', weight: 4 },
  { manufacturer: 'Apple', model: 'iPhone 14', weight: 3 },
  { manufacturer: 'Apple', model: 'iPhone 13', weight: 2 },
  { manufacturer: 'Apple', model: 'iPhone SE (3rd generation)', weight: 1 },
];
export const IPAD_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'Apple', model: 'iPad Air (5th generation)', weight: 2 },
  { manufacturer: 'Apple', model: 'iPad (10th generation)', weight: 2 },
];
export const IOS_VERSIONS: readonly (readonly [string, number])[] = [['17.6.1', 3], ['18.0.1', 3], ['18.1', 4]];

export const ANDROID_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'samsung', model: 'SM-S911B', weight: 4 }, // Galaxy S23
  { manufacturer: 'samsung', model: 'SM-A546B', weight: 3 }, // Galaxy A54
  { manufacturer: 'Google', model: 'Pixel 8', weight: 3 },
];
export const KIOSK_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'Zebra Technologies', model: 'TC52', weight: 3 },
  { manufacturer: 'samsung', model: 'SM-G736B', weight: 2 }, // Galaxy XCover6 Pro
];
export const ANDROID_VERSIONS: readonly (readonly [string, number])[] = [['13', 2], ['14', 4], ['15', 3]];

export const MAC_MODELS: readonly DeviceModel[] = [
  { manufacturer: 'Apple', model: 'MacBook Pro (14-inch, 2023)', weight: 3 },
  { manufacturer: 'Apple', model: 'MacBook Air (13-inch, M2, 2022)', weight: 3 },
];
export const MAC_VERSIONS: readonly (readonly [string, number])[] = [['14.7.1', 3], ['15.1', 4]];

export const INTUNE_APP_ID = '0000000a-0000-0000-c000-000000000000';
export const CONFIGMGR_APP_ID = '54b943f8-d761-4f8d-951e-9cea1846db5a';

export const AUTOPILOT_PROFILE = 'Contoso Autopilot - User Driven';
export const KIOSK_PROFILE = 'Contoso Kiosk - Android Dedicated';
export const IOS_ADE_PROFILE = 'Contoso iOS ADE';
export const MAC_ADE_PROFILE = 'Contoso macOS ADE';
