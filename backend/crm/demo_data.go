package crm

// Sample data for the demo generator: common French and European names,
// real cities with their postal codes, plausible trades. Everything that
// comes out of it is fictitious.

var demoGivenNames = []string{
	"Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Juliette", "Louise", "Zoé", "Hélène", "Élodie",
	"Céline", "Sophie", "Nathalie", "Isabelle", "Margaux", "Anaïs", "Noémie", "Gaëlle", "Maëlys", "Agnès",
	"Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Thomas", "Théo", "Raphaël", "François",
	"Jérôme", "Stéphane", "Sébastien", "Mathieu", "Nicolas", "Julien", "Benoît", "Loïc", "Joël", "Hervé", "Noël",
	"Pierre", "Jean", "Michel", "Philippe", "Éric", "Frédéric", "Olivier", "Laurent", "Thierry", "Yannick",
	"Klaus", "Anke", "Giulia", "Marco", "Lucía", "Javier", "Sofie", "Lars", "Ana", "João", "Wojciech", "Zofia",
}

var demoFamilyNames = []string{
	"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon",
	"Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
	"Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
	"Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
	"Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
	"Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche",
	"Le Gall", "Le Goff", "Kerjean", "Müller", "Schmidt", "Rossi", "Bianchi", "Fernández", "Jansen", "Kowalski",
	"De Smet", "Peeters", "Novák", "Silva", "Castelli", "Brennan",
}

type demoCity struct{ name, postal, country, phonePrefix string }

var demoCities = []demoCity{
	{"Paris", "75011", "FR", "01"}, {"Paris", "75015", "FR", "01"}, {"Lyon", "69003", "FR", "04"}, {"Lyon", "69007", "FR", "04"},
	{"Marseille", "13006", "FR", "04"}, {"Toulouse", "31000", "FR", "05"}, {"Bordeaux", "33000", "FR", "05"},
	{"Nantes", "44000", "FR", "02"}, {"Lille", "59000", "FR", "03"}, {"Strasbourg", "67000", "FR", "03"},
	{"Rennes", "35000", "FR", "02"}, {"Montpellier", "34000", "FR", "04"}, {"Nice", "06000", "FR", "04"},
	{"Grenoble", "38000", "FR", "04"}, {"Dijon", "21000", "FR", "03"}, {"Tours", "37000", "FR", "02"},
	{"Brest", "29200", "FR", "02"}, {"Besançon", "25000", "FR", "03"}, {"Annecy", "74000", "FR", "04"},
	{"Saint-Étienne", "42000", "FR", "04"}, {"Angers", "49000", "FR", "02"}, {"Nîmes", "30000", "FR", "04"},
	{"Bruxelles", "1000", "BE", "+32 2"}, {"Genève", "1201", "CH", "+41 22"}, {"Berlin", "10115", "DE", "+49 30"},
	{"Milano", "20121", "IT", "+39 02"}, {"Barcelona", "08001", "ES", "+34 93"}, {"Luxembourg", "1111", "LU", "+352"},
}

var demoStreets = []string{
	"rue de la République", "avenue Jean Jaurès", "rue Victor Hugo", "boulevard Gambetta", "place de la Mairie",
	"rue du Général de Gaulle", "rue Pasteur", "allée des Tilleuls", "chemin des Vignes", "rue des Lilas",
	"quai de la Loire", "rue Nationale", "avenue de la Gare", "impasse des Églantiers", "route de Lyon",
}

var demoTrades = []struct{ prefix, sector string }{
	{"Boulangerie", "Alimentation"}, {"Garage", "Automobile"}, {"Cabinet", "Conseil"}, {"Atelier", "Artisanat"},
	{"Menuiserie", "Bâtiment"}, {"Pharmacie", "Santé"}, {"Librairie", "Commerce"}, {"Imprimerie", "Industrie"},
	{"Transports", "Logistique"}, {"Domaine", "Viticulture"}, {"Agence", "Communication"}, {"Fromagerie", "Alimentation"},
	{"Électricité", "Bâtiment"}, {"Plomberie", "Bâtiment"}, {"Studio", "Design"}, {"Hôtel", "Hôtellerie"},
}

var demoForms = []string{"SARL", "SAS", "SA", "EURL", "SASU", "& Fils", "Frères", ""}

var demoJobs = []string{
	"Gérant", "Gérante", "Directrice commerciale", "Directeur technique", "Comptable", "Assistante de direction",
	"Responsable des achats", "Chef de projet", "Commercial", "Responsable qualité", "Présidente", "Artisan",
}

var demoTags = []string{"VIP", "salon 2026", "newsletter", "à relancer", "grand compte", "export", "partenaire local", "devis en cours"}

var demoOwners = []string{"Marie", "Karim", "Sophie", "Julien", ""}

var demoSources = []string{
	"carte de visite, salon Maison & Objet", "formulaire de contact du site", "e-mail entrant", "recommandation d'un client",
	"appel entrant", "import: fichier clients 2024.csv", "rencontre au marché de Noël",
}

var demoNotes = []string{
	"Intéressé par le devis pour la véranda, rappeler après les vacances.",
	"A demandé une remise pour une commande de plus de 50 unités.",
	"Préfère être contacté le matin, jamais le mercredi.",
	"Rencontré au salon, très satisfait de la dernière livraison.",
	"Attend la nouvelle gamme printemps avant de commander.",
	"Facture de mars réglée avec retard : relancer poliment la prochaine fois.",
	"Souhaite recevoir le catalogue papier.",
	"Changement d'interlocuteur prévu en janvier.",
	"Demande un rendez-vous sur site pour un chiffrage.",
	"Très bon contact, recommande nos services à ses confrères.",
}

var demoTasks = []string{"Envoyer le devis", "Relancer pour la facture", "Appeler pour le rendez-vous", "Préparer la proposition", "Envoyer le catalogue"}
