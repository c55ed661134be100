import AvocaCore
import Foundation

/// Name lists behind the demo data: common US given names and surnames of many origins.
public enum DemoNames {
    /// Given names (≥ 150).
    public static let first = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
        "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah",
        "Ronald", "Stephanie", "George", "Dorothy", "Jason", "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
        "Jacob", "Amy", "Nicholas", "Kathleen", "Gary", "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Stephen", "Emma",
        "Larry", "Anna", "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha", "Benjamin", "Katherine", "Samuel", "Christine",
        "Gregory", "Helen", "Alexander", "Debra", "Patrick", "Rachel", "Frank", "Carolyn", "Raymond", "Janet", "Jack", "Maria",
        "Dennis", "Catherine", "Jerry", "Heather", "Tyler", "Diane", "Aaron", "Olivia", "Jose", "Julie", "Adam", "Joyce", "Nathan",
        "Victoria", "Henry", "Ruth", "Zachary", "Virginia", "Douglas", "Lauren", "Peter", "Kelly", "Kyle", "Christina", "Noah",
        "Joan", "Ethan", "Evelyn", "Jeremy", "Judith", "Christian", "Andrea", "Walter", "Hannah", "Keith", "Megan", "Austin",
        "Cheryl", "Roger", "Jacqueline", "Terry", "Martha", "Sean", "Madison", "Gerald", "Teresa", "Carl", "Gloria", "Dylan", "Sara",
        "Harold", "Janice", "Jordan", "Ann", "Jesse", "Kathryn", "Bryan", "Abigail", "Lawrence", "Sophia", "Arthur", "Frances",
        "Gabriel", "Jean", "Bruce", "Alice", "Logan", "Judy", "Billy", "Isabella", "Joe", "Julia", "Alan", "Grace", "Juan", "Amber",
        "Elijah", "Denise", "Willie", "Danielle", "Albert", "Marilyn", "Wayne", "Beverly", "Randy", "Charlotte", "Mason", "Natalie",
        "Vincent", "Theresa", "Liam", "Diana", "Roy", "Brittany", "Bobby", "Doris", "Caleb", "Kayla", "Bradley", "Alexis", "Russell",
        "Lori", "Lucas", "Marie", "Carlos", "Luis", "Miguel", "Sofia", "Camila", "Valentina", "Mateo", "Diego", "Priya", "Ravi",
        "Wei", "Mei", "Hiroshi", "Yuki", "Minh", "Linh", "Omar", "Fatima", "Aisha", "Malik", "DeShawn", "Imani", "Jamal", "Keisha",
        "Tamika", "Darnell", "Ingrid", "Sven", "Anya", "Dmitri", "Giulia", "Marco", "Siobhan", "Declan", "Chloe", "Zoe", "Aiden",
        "Harper", "Leah", "Owen", "Mia", "Ava", "Layla", "Elena", "Nora", "Hazel", "Wyatt", "Riley", "Quinn", "Rosa", "Guadalupe",
    ]

    /// Surnames (≥ 150).
    public static let last = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
        "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres",
        "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
        "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos",
        "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz",
        "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins",
        "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons",
        "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole",
        "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall",
        "Owens", "Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
        "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez", "Silva", "Shaw",
        "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose",
        "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
        "Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kowalski", "Novak", "Schneider", "O'Brien", "O'Connor",
        "Fitzgerald", "Yamamoto", "Tanaka", "Wang", "Li", "Zhang", "Liu", "Singh", "Shah", "Khan", "Ali", "Haddad", "Cohen", "Levy",
        "Rossi", "Russo", "Bianchi", "Larsen", "Johansson", "Ivanov", "Petrov", "Dubois", "Moreau", "Okafor", "Adeyemi", "Mensah",
    ]

    /// Where people keep their mail.
    static let emailDomains = [
        "gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
        "aol.com", "comcast.net", "att.net", "verizon.net", "protonmail.com", "me.com", "msn.com", "sbcglobal.net", "live.com",
    ]

    /// Words that turn a name into a business.
    static let companyKinds = [
        "Properties", "Property Management", "Realty", "Dental", "Family Medicine", "Cafe", "Bakery", "Auto Repair", "Law Group",
        "Holdings LLC", "Rentals", "Apartments", "Insurance", "Veterinary Clinic", "Salon", "Fitness", "Builders", "Landscaping",
        "Bistro", "Hardware", "Accounting", "Daycare", "Church", "Self Storage",
    ]
}
