package privacy

import (
	"context"
	"os/user"
	"strings"
	"time"

	"carnet/backend/settings"
)

// Profile is who answers for the processing: the DPO, the EU
// representative when there is one, and how the user is named in the
// audit log and the ledger.
type Profile struct {
	UserLabel             string `json:"userLabel"`
	DPOName               string `json:"dpoName"`
	DPOEmail              string `json:"dpoEmail"`
	DPOPhone              string `json:"dpoPhone"`
	DPOAddress            string `json:"dpoAddress"`
	RepresentativeName    string `json:"representativeName"`
	RepresentativeAddress string `json:"representativeAddress"`
}

const profileKey = "privacy_profile"

// LoadProfile reads the privacy profile; the user label defaults to the
// account name on this computer.
func LoadProfile(ctx context.Context, st *settings.Store) (Profile, error) {
	var p Profile
	if err := st.GetJSON(ctx, profileKey, &p); err != nil {
		return p, err
	}
	if strings.TrimSpace(p.UserLabel) == "" {
		p.UserLabel = "?"
		if u, err := user.Current(); err == nil && u.Username != "" {
			p.UserLabel = u.Username
		}
	}
	return p, nil
}

// SaveProfile stores the privacy profile.
func SaveProfile(ctx context.Context, st *settings.Store, p Profile) error {
	p.UserLabel = strings.TrimSpace(p.UserLabel)
	return st.SetJSON(ctx, profileKey, p)
}

// Party is the controller, its representative or its DPO as the register
// names them.
type Party struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	ID      string `json:"id"` // SIREN for the controller
	Email   string `json:"email"`
	Phone   string `json:"phone"`
}

// Register is the record of processing activities (Art. 30(1)): the
// controller and its contacts, then one activity per purpose.
type Register struct {
	GeneratedAt    string    `json:"generatedAt"`
	Controller     Party     `json:"controller"`
	Representative Party     `json:"representative"`
	DPO            Party     `json:"dpo"`
	Activities     []Purpose `json:"activities"`
	// Measures Carnet itself takes, added to every activity's own.
	Measures []string `json:"measures"`
	// Contact fields holding special categories of data (Art. 9).
	SensitiveFields []SensitiveField `json:"sensitiveFields"`
}

// SensitiveField is a contact field marked sensitive, with its Art. 9(1)
// category and the Art. 9(2) condition relied on.
type SensitiveField struct {
	Name      string `json:"name"`
	Category  string `json:"category"`
	Condition string `json:"condition"`
}

// BuildRegister assembles the register from the purposes and profiles.
func BuildRegister(controller Party, p Profile, purposes []Purpose, measures []string, now time.Time) Register {
	return Register{
		GeneratedAt:    stamp(now),
		Controller:     controller,
		Representative: Party{Name: p.RepresentativeName, Address: p.RepresentativeAddress},
		DPO:            Party{Name: p.DPOName, Email: p.DPOEmail, Phone: p.DPOPhone, Address: p.DPOAddress},
		Activities:     purposes,
		Measures:       measures,
	}
}
