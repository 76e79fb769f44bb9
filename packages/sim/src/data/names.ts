// Synthetic name and address parts. Given names are common US given names (public facts); surnames are
// composed from English place-name syllables so that no row is a real person's name but every row looks
// like one. Streets and cities are invented; phone numbers use the NANP fictional range 555-0100..0199.

export const GIVEN_NAMES_F = [
  'Mary', 'Linda', 'Susan', 'Karen', 'Nancy', 'Lisa', 'Emily', 'Olivia', 'Emma', 'Ava', 'Sophia', 'Grace',
  'Hannah', 'Chloe', 'Megan', 'Laura', 'Rachel', 'Julia', 'Anna', 'Ruth', 'Carol', 'Diane', 'Janet', 'Alice',
  'Rosa', 'Maria', 'Elena', 'Priya', 'Mei', 'Aisha', 'Fatima', 'Keisha', 'Tanya', 'Leah', 'Nora', 'Ivy',
] as const;

export const GIVEN_NAMES_M = [
  'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Daniel', 'Mark',
  'Paul', 'Steven', 'Kevin', 'Brian', 'Jason', 'Ryan', 'Eric', 'Adam', 'Noah', 'Liam', 'Ethan', 'Lucas',
  'Owen', 'Caleb', 'Carlos', 'Diego', 'Ahmed', 'Omar', 'Raj', 'Wei', 'Hiro', 'Andre', 'Marcus', 'Tyrone', 'Sean',
] as const;

export const SURNAME_HEADS = [
  'Ash', 'Bram', 'Cobble', 'Dun', 'Elm', 'Fern', 'Gill', 'Holl', 'Iver', 'Kest', 'Lark', 'Moss', 'Nettle',
  'Oak', 'Pell', 'Quill', 'Rook', 'Sedge', 'Thistle', 'Umber', 'Vale', 'Wren', 'Yarrow', 'Birch', 'Crane',
  'Heather', 'Marsh', 'Stone', 'Hazel', 'Brook',
] as const;

export const SURNAME_TAILS = [
  'by', 'combe', 'field', 'ford', 'ham', 'ley', 'more', 'ridge', 'ton', 'well', 'wick', 'worth', 'stead',
  'hurst', 'dale', 'mere',
] as const;

export const STREET_NAMES = [
  'Maple', 'Cedar', 'Willow', 'Juniper', 'Sycamore', 'Chestnut', 'Linden', 'Hawthorn', 'Magnolia', 'Aspen',
  'Poplar', 'Alder', 'Beech', 'Cypress', 'Dogwood', 'Hickory', 'Laurel', 'Mulberry', 'Redbud', 'Spruce',
] as const;

export const STREET_TYPES = ['St', 'Ave', 'Rd', 'Ln', 'Dr', 'Ct', 'Way', 'Pl'] as const;

/** Invented towns per state, with the state's real ZIP prefix range (so ZIPs are well-formed for the state). */
export const STATES = [
  { state: 'OH', zipFrom: 430, zipTo: 458, towns: ['Maple Hollow', 'East Brindle', 'Cedar Falls Junction', 'Port Larkin'] },
  { state: 'PA', zipFrom: 150, zipTo: 196, towns: ['Millbrook Station', 'Kestler', 'North Ashby', 'Hazelmere'] },
  { state: 'MI', zipFrom: 480, zipTo: 499, towns: ['Lake Umber', 'Wrenford', 'Sedgewick Harbor', 'Birch Bay'] },
  { state: 'NC', zipFrom: 270, zipTo: 289, towns: ['Pellham Springs', 'Oakridge Forks', 'Thistleton', 'Crane Mill'] },
] as const;

export const PRACTICE_NAME_WORDS = ['Riverside', 'Summit', 'Lakeshore', 'Heritage', 'Northgate', 'Valley', 'Parkside', 'Meadowbrook'] as const;
